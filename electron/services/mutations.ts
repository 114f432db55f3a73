import { AppError } from '../../shared/errors';
import type { IdentityStore } from './identities/identity-store';

export interface MutationRecord {
  identityId: string;
  nodes: string[];
  method: string;
  args: Record<string, unknown>;
  talosctl: string;
  outcomes: { node: string; ok: boolean; code?: string; message?: string; actorId?: string }[];
}

export type MutationRecorder = (record: MutationRecord) => Promise<unknown> | unknown;

type Outcome = { node: string; ok: boolean; error?: { code: string; message: string }; value?: unknown };

/**
 * The one choke point every mutating call and every secret reveal passes through: it runs the action and
 * records it, with per-node outcomes, before the result goes back. A call that fails as a whole is recorded too.
 */
export function createMutationGate(identities: Pick<IdentityStore, 'meta'>, recorder: MutationRecorder) {
  return async function mutate<T extends Outcome>(
    request: { identityId: string; nodes: string[]; method: string; args: Record<string, unknown>; talosctl: string },
    run: () => Promise<T[]>,
  ): Promise<T[]> {
    await identities.meta(request.identityId);
    let results: T[];
    try {
      results = await run();
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
      await recorder({ ...request, outcomes: request.nodes.map((node) => ({ node, ok: false, code: e.code, message: e.message })) });
      throw error;
    }
    await recorder({
      ...request,
      outcomes: results.map((r) => {
        const actorId = (r.value as { actorId?: unknown } | undefined)?.actorId;
        return {
          node: r.node,
          ok: r.ok,
          ...(r.error ? { code: r.error.code, message: r.error.message } : {}),
          ...(typeof actorId === 'string' && actorId ? { actorId } : {}),
        };
      }),
    });
    return results;
  };
}

export type MutationGate = ReturnType<typeof createMutationGate>;
