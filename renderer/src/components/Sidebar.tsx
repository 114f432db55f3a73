import { useMemo, useState } from 'react';
import type { NodeRef } from '../../../shared/domain/node';
import { useSession } from '../stores/session-store';
import { useShift } from '../stores/shift-store';
import { IdentityMark } from './IdentityMark';
import { ROLE_GROUPS, roleGroup } from '../lib/node-roles';
import { FilterBox } from './FilterBox';
import { useUi } from '../stores/ui-store';
import { RoleBadges } from './RoleBadges';
import { NodeHealthDot } from '../health/NodeHealthDot';

export function Sidebar() {
  const identities = useSession((s) => s.identities);
  const activeId = useSession((s) => s.activeId);
  const choose = useShift((s) => s.choose);
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
                onClick={() => void choose(identity.id)}
                title={`${identity.name}: ${identity.roles.join(', ')}${identity.locked ? ' (locked by the on-call shift)' : ''}`}
                data-locked={identity.locked || undefined}
              >
                <span className="item-title">
                  {identity.name} <IdentityMark identity={identity} />
                </span>
                <span className="item-sub">
                  <RoleBadges roles={identity.roles} />
                  {identity.locked && <span className="badge badge-locked">locked</span>}
                  {identity.expiry !== 'ok' && (
                    <span className={`badge expiry-${identity.expiry}`}>{expiryLabel(identity.expiry, identity.daysLeft)}</span>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      {activeId && <NodeList />}
    </nav>
  );
}

export function expiryLabel(state: string, daysLeft: number): string {
  if (state === 'expired') return 'expired';
  if (state === 'not-yet-valid') return 'not yet valid';
  // Short-lived minted identities count in hours and minutes, where "0d" would say nothing.
  if (daysLeft < 1 / 24) return `expires in ${Math.max(0, Math.floor(daysLeft * 1440))} min`;
  if (daysLeft < 1) return `expires in ${Math.floor(daysLeft * 24)} h`;
  return `expires in ${Math.floor(daysLeft)}d`;
}

/** Above this many nodes the list gets a filter box. */
const FILTER_FROM = 6;

function NodeList() {
  const nodes = useSession((s) => s.nodes);
  const activeId = useSession((s) => s.activeId);
  const nodesError = useSession((s) => s.nodesError);
  const nodesLoading = useSession((s) => s.nodesLoading);
  const selected = useSession((s) => s.selected);
  const toggleNode = useSession((s) => s.toggleNode);
  const setSelected = useSession((s) => s.setSelected);
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const q = filter.toLowerCase();
    const shown = q ? nodes.filter((n) => `${n.address} ${n.hostname ?? ''} ${n.machineType ?? ''}`.toLowerCase().includes(q)) : nodes;
    return ROLE_GROUPS.map((g) => ({ ...g, nodes: shown.filter((n) => roleGroup(n.machineType) === g.id) })).filter((g) => g.nodes.length);
  }, [nodes, filter]);

  const item = (node: NodeRef) => (
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
          <NodeHealthDot node={node.address} identityId={activeId} />
          {node.address}
          <small className="muted">{[node.hostname, node.machineType].filter(Boolean).join(' · ')}</small>
        </span>
      </label>
    </li>
  );

  return (
    <section>
      <header>
        <h2>
          Nodes{' '}
          {nodes.length > 1 && (
            <span className="count">
              {selected.length}/{nodes.length}
            </span>
          )}
        </h2>
        {nodes.length > 1 && (
          <button className="link" onClick={() => setSelected(nodes.map((n) => n.address))}>
            All
          </button>
        )}
      </header>
      {nodesLoading && (
        <p className="muted sidebar-note" role="status">
          <span className="spinner" aria-hidden /> Loading nodes…
        </p>
      )}
      {nodesError && <p className="error-text sidebar-note">{nodesError}</p>}
      {!nodesLoading && !nodesError && nodes.length === 0 && <p className="muted sidebar-note">This identity lists no nodes.</p>}
      {nodes.length >= FILTER_FROM && (
        <FilterBox label="Filter nodes" placeholder="Filter nodes" value={filter} onChange={setFilter} primary={false} className="wide" />
      )}
      {filter && groups.length === 0 && <p className="muted sidebar-note">No node matches “{filter}”.</p>}
      <ul className="list" aria-label="Nodes">
        {groups.map((g) =>
          groups.length === 1 && g.id === 'other' ? (
            g.nodes.map(item)
          ) : (
            <li key={g.id} className="node-group">
              <div className="node-group-head">
                <span>
                  {g.title} <span className="count">{g.nodes.length}</span>
                </span>
                {g.nodes.length > 1 && (
                  <button className="link" aria-label={`Select all ${g.noun}`} onClick={() => setSelected(g.nodes.map((n) => n.address))}>
                    select
                  </button>
                )}
              </div>
              <ul className="list" aria-label={g.title}>
                {g.nodes.map(item)}
              </ul>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
