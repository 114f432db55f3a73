import type { Outcome } from '../../../shared/handlers';

type PerNodeResult = { node: string; ok: boolean; error?: { code: string; message: string }; value?: unknown };

/** The audit outcome of each node of a fan-out: ok or the error, and the actor id Talos gave a lifecycle call. */
export function perNodeOutcomes(results: PerNodeResult[]): Outcome[] {
  return results.map((r) => {
    const actorId = (r.value as { actorId?: unknown } | undefined)?.actorId;
    return {
      node: r.node,
      ok: r.ok,
      ...(r.error ? { code: r.error.code, message: r.error.message } : {}),
      ...(typeof actorId === 'string' && actorId ? { actorId } : {}),
    };
  });
}

/** Every target succeeded (a call that throws on failure); a local result's `auditNote` is kept as the message. */
export const allOk = (response: unknown, intent: { nodes: string[] }): Outcome[] => {
  const note = (response as { auditNote?: unknown } | null)?.auditNote;
  return (intent.nodes.length ? intent.nodes : ['this computer']).map((node) => ({
    node,
    ok: true,
    ...(typeof note === 'string' ? { message: note } : {}),
  }));
};
