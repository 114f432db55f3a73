import type { NodeRef } from '../../../shared/domain/node';

const roleOf = (n: NodeRef) =>
  n.machineType === 'controlplane' || n.machineType === 'init' ? 'control plane' : (n.machineType ?? 'unknown');

/** The plan's targets, chosen here by name, role and address; the view's selection only pre-fills them. */
export function TargetPicker({ nodes, chosen, onChange }: { nodes: NodeRef[]; chosen: string[]; onChange(chosen: string[]): void }) {
  const toggle = (address: string) =>
    onChange(
      chosen.includes(address)
        ? chosen.filter((a) => a !== address)
        : nodes.map((n) => n.address).filter((a) => a === address || chosen.includes(a)),
    );
  const pick = (filter: (n: NodeRef) => boolean) => onChange(nodes.filter(filter).map((n) => n.address));
  return (
    <fieldset className="targets">
      <legend>
        Targets{' '}
        <span className="muted">
          ({chosen.length} of {nodes.length})
        </span>
      </legend>
      <div className="toolbar">
        <button className="link" onClick={() => pick(() => true)}>
          All
        </button>
        <button className="link" onClick={() => pick((n) => roleOf(n) === 'control plane')}>
          Control planes
        </button>
        <button className="link" onClick={() => pick((n) => n.machineType === 'worker')}>
          Workers
        </button>
        <button className="link" onClick={() => onChange([])}>
          None
        </button>
      </div>
      <table className="grid compact" aria-label="Targets">
        <thead>
          <tr>
            <th />
            <th>Name</th>
            <th>Role</th>
            <th>Address</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.address}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Target ${n.address}`}
                  checked={chosen.includes(n.address)}
                  onChange={() => toggle(n.address)}
                />
              </td>
              <td>{n.hostname ?? <span className="muted">unknown</span>}</td>
              <td>
                <span className={roleOf(n) === 'control plane' ? 'badge role-cp' : 'badge'}>{roleOf(n)}</span>
              </td>
              <td className="mono">{n.address}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
