import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { RoleBadges } from './RoleBadges';

export function Sidebar() {
  const identities = useSession((s) => s.identities);
  const activeId = useSession((s) => s.activeId);
  const nodes = useSession((s) => s.nodes);
  const nodesError = useSession((s) => s.nodesError);
  const selected = useSession((s) => s.selected);
  const selectIdentity = useSession((s) => s.selectIdentity);
  const toggleNode = useSession((s) => s.toggleNode);
  const setSelected = useSession((s) => s.setSelected);
  const setView = useUi((s) => s.setView);

  return (
    <nav className="sidebar" aria-label="Identities and nodes">
      <section>
        <header>
          <h2>Identities</h2>
          <button className="link" onClick={() => setView('identities')}>
            Manage
          </button>
        </header>
        {identities.length === 0 && <p className="muted">None yet.</p>}
        <ul className="list" aria-label="Identities">
          {identities.map((identity) => (
            <li key={identity.id}>
              <button
                className={identity.id === activeId ? 'item active' : 'item'}
                aria-pressed={identity.id === activeId}
                onClick={() => void selectIdentity(identity.id)}
                title={`${identity.name}: ${identity.roles.join(', ')}`}
              >
                <span className="item-title">{identity.name}</span>
                <span className="item-sub">
                  <RoleBadges roles={identity.roles} />
                  {identity.expiry !== 'ok' && (
                    <span className={`badge expiry-${identity.expiry}`}>{expiryLabel(identity.expiry, identity.daysLeft)}</span>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      {activeId && (
        <section>
          <header>
            <h2>Nodes</h2>
            {nodes.length > 1 && (
              <button className="link" onClick={() => setSelected(nodes.map((n) => n.address))}>
                All
              </button>
            )}
          </header>
          {nodesError && <p className="error-text">{nodesError}</p>}
          <ul className="list" aria-label="Nodes">
            {nodes.map((node) => (
              <li key={node.address}>
                <label className={selected.includes(node.address) ? 'item active' : 'item'}>
                  <input
                    type="checkbox"
                    checked={selected.includes(node.address)}
                    onChange={() => toggleNode(node.address, true)}
                    aria-label={`Select ${node.address}`}
                  />
                  <span
                    className="item-title"
                    onClick={(e) => {
                      e.preventDefault();
                      toggleNode(node.address, e.ctrlKey || e.metaKey || e.shiftKey);
                    }}
                  >
                    {node.address}
                    <small className="muted">{[node.hostname, node.machineType].filter(Boolean).join(' · ')}</small>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </section>
      )}
    </nav>
  );
}

export function expiryLabel(state: string, daysLeft: number): string {
  if (state === 'expired') return 'expired';
  if (state === 'not-yet-valid') return 'not yet valid';
  return `expires in ${Math.max(0, Math.floor(daysLeft))}d`;
}
