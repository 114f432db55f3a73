import type { MutationGate } from '../../shared/handlers';
import type { AuditRecorder } from './audit/recorder';
import type { IdentityStore } from './identities/identity-store';

/**
 * The gate the dispatcher sends every mutating call through (after the host's access policy): the identity must
 * exist, then the intent is written to the audit trail (AUDIT_UNAVAILABLE when it cannot be) before the handler
 * runs; the dispatcher records the outcomes.
 */
export function createAuditGate(identities: Pick<IdentityStore, 'meta'>, record: AuditRecorder): MutationGate {
  return {
    async admit(_channel, intent) {
      if (!intent.actor) await identities.meta(intent.identityId);
    },
    begin: (_channel, intent) => record(intent),
  };
}
