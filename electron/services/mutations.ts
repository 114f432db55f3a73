import { AppError } from '../../shared/errors';
import type { IdentityStore } from './identities/identity-store';
import type { AuditOutcome, AuditRecorder, MutationRequest } from './audit/recorder';

/** A node's result; a value may carry `actorId` and `auditNote` (what the trail keeps of a local result, never a secret). */
type Outcome = { node: string; ok: boolean; error?: { code: string; message: string }; value?: unknown };

function outcomeOf(r: Outcome): AuditOutcome {
  const { actorId, auditNote } = (r.value ?? {}) as { actorId?: unknown; auditNote?: unknown };
  return {
    node: r.node,
    ok: r.ok,
    ...(r.error ? { code: r.error.code, message: r.error.message } : {}),
    ...(!r.error && typeof auditNote === 'string' ? { message: auditNote } : {}),
    ...(typeof actorId === 'string' && actorId ? { actorId } : {}),
  };
}

/**
 * The one choke point every mutating call and every secret reveal passes through: the intent is written to
 * the audit trail before anything is sent to a node (no trail, no action: AUDIT_UNAVAILABLE), and the
 * per-node outcome after. A call that fails as a whole is recorded as failed on every target.
 */
export function createMutationGate(identities: Pick<IdentityStore, 'meta'>, record: AuditRecorder) {
  return async function mutate<T extends Outcome>(request: MutationRequest, run: () => Promise<T[]>): Promise<T[]> {
    await identities.meta(request.identityId);
    const operation = await record(request);
    try {
      let results: T[];
      try {
        results = await run();
      } catch (error) {
        const e = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
        await operation
          .outcome(request.nodes.map((node) => ({ node, ok: false, code: e.code, message: e.message })))
          .catch((recordError: unknown) => console.error('[audit] could not record an outcome:', recordError));
        throw error;
      }
      // The action already happened: a failure to record its outcome leaves the intent ("started") as the record.
      await operation
        .outcome(results.map(outcomeOf))
        .catch((recordError: unknown) => console.error('[audit] could not record an outcome:', recordError));
      return results;
    } finally {
      operation.end();
    }
  };
}
export type MutationGate = ReturnType<typeof createMutationGate>;
