import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function vaultHandlers({ identities, sessions, streams, audit }: HandlerDeps): HandlersFor<'vault'> {
  const { vault } = identities;
  /**
   * The audit trail's seal key comes from the vault, so the trail is checked against its seal once the vault
   * is open. The vault unlocked whatever the trail holds: a broken trail shows on the Audit screen, not here.
   */
  const thenVerifyAudit = async <T>(p: Promise<T>) => {
    const value = await p;
    await audit.unlocked().catch((error: unknown) => console.error('[audit] verification after unlock failed:', error));
    return value;
  };
  return {
    'vault.status': () => vault.status(),
    'vault.setup': ({ passphrase }) => thenVerifyAudit(vault.setup(passphrase)),
    'vault.unlock': ({ passphrase }) => thenVerifyAudit(vault.unlock(passphrase)),
    'vault.lock': async () => {
      streams.closeAll();
      sessions.forget();
      return vault.lock();
    },
  };
}
