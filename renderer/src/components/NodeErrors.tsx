import type { PerNode } from '../../../shared/domain/node';
import { isUnreachable } from '../lib/unreachable';

/** Per-node failures shown inline, above the rows of the nodes that answered; "not answering" only when it did not. */
export function NodeErrors({ results }: { results: PerNode<unknown>[] }) {
  const failed = results.filter((r): r is Extract<PerNode<unknown>, { ok: false }> => !r.ok);
  if (failed.length === 0) return null;
  return (
    <div role="alert">
      {failed.map((r) => (
        <div key={r.node} className="node-error" data-node-error={r.node}>
          <strong>{r.node}</strong> {isUnreachable(r.error.code) ? 'is not answering' : 'answered with an error'}: {r.error.message}{' '}
          <span className="muted">({r.error.code})</span>
        </div>
      ))}
    </div>
  );
}
