import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function vaultHandlers({ identities, sessions, audit }: HandlerDeps): HandlersFor<'vault'> {
  const { vault } = identities;
  /** The audit trail's seal key comes from the vault, so it can only be checked once the vault is open. */
  const thenReseal = async <T>(p: Promise<T>) => {
    const value = await p;
    await audit.reseal();
    return value;
  };
  return {
    'vault.status': () => vault.status(),
    'vault.setup': ({ passphrase }) => thenReseal(vault.setup(passphrase)),
    'vault.unlock': ({ passphrase }) => thenReseal(vault.unlock(passphrase)),
    'vault.lock': async () => {
      sessions.forget();
      return vault.lock();
    },
  };
}
