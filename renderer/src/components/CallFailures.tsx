import type { CallFailure } from '../../../shared/domain/talos';

/** The calls of one node's view that did not answer, with why; what did answer is shown beside them. */
export function CallFailures({ node, failures }: { node: string; failures: CallFailure[] }) {
  if (failures.length === 0) return null;
  return (
    <div className="call-failures" aria-label={`Calls that failed on ${node}`}>
      <span className="warn-text">Not received:</span>
      <ul>
        {failures.map((f) => (
          <li key={f.call}>
            <strong>{f.call}</strong> <span className="muted">({f.code})</span> {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
