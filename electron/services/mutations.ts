import type { IdentityService } from './identity-service';

export interface MutationRecord {
  identityId: string;
  nodes: string[];
  method: string;
  args: Record<string, unknown>;
  outcomes: { node: string; ok: boolean; code?: string; message?: string }[];
}

export type MutationRecorder = (record: MutationRecord) => Promise<void> | void;

/**
 * The one choke point every mutating call passes through. It runs the action and hands a record of it,
 * with per-node outcomes, to the recorder (the audit trail builds on this).
 */
export function createMutationGate(identities: IdentityService, recorder: MutationRecorder) {
  return async function mutate<T extends { node: string; ok: boolean; error?: { code: string; message: string } }>(
    identityId: string,
    nodes: string[],
    method: string,
    args: Record<string, unknown>,
    run: () => Promise<T[]>,
  ): Promise<T[]> {
    await identities.meta(identityId);
    const results = await run();
    await recorder({
      identityId,
      nodes,
      method,
      args,
      outcomes: results.map((r) => ({ node: r.node, ok: r.ok, ...(r.error ? { code: r.error.code, message: r.error.message } : {}) })),
    });
    return results;
  };
}
