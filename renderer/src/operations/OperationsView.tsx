import { useState } from 'react';
import type { Operation } from '../../../shared/domain/operation';
import { FilterBox } from '../components/FilterBox';
import { EmptyState } from '../components/States';
import { Ago } from '../components/Values';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { OperationProgress } from './OperationProgress';
import { useOperations } from './operation-store';

/**
 * Every operation the host runs or ran in this session. Operations live on the host: leaving this screen, or
 * the whole window reloading, never stops one; this view only attaches to them.
 */
/** An operation matches a filter by its title, state, identity, or any target's address or name. */
function matches(o: Operation, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const text = [o.title, o.state, o.identityName, o.cluster, ...o.steps.flatMap((s) => [s.node, s.hostname])];
  return text.some((t) => t.toLowerCase().includes(needle));
}

export function OperationsView() {
  const all = useOperations((s) => s.operations);
  const focused = useOperations((s) => s.focused);
  const focus = useOperations((s) => s.focus);
  const [filter, setFilter] = useState('');
  const operations = all.filter((o) => matches(o, filter));
  const shown = operations.find((o) => o.id === focused) ?? operations[0] ?? null;
  const toolbar = (
    <div className="toolbar">
      <FilterBox label="Filter operations" value={filter} onChange={setFilter} placeholder="Filter by title, state or node (/)" />
      {filter && <span className="muted">{`${operations.length} of ${all.length}`}</span>}
    </div>
  );

  const followLogs = (node: string) => {
    const session = useSession.getState();
    if (shown && session.activeId !== shown.identityId) void session.selectIdentity(shown.identityId);
    useSession.getState().setSelected([node]);
    useUi.getState().setView('logs');
  };

  if (!shown && filter)
    return (
      <div>
        {toolbar}
        <EmptyState>No operation matches “{filter}”.</EmptyState>
      </div>
    );
  if (!shown)
    return (
      <div>
        {toolbar}
        <EmptyState>
          No operations yet. Reboot, shut down or upgrade nodes from Overview (Node actions), restart a service from Services, or apply a
          config from Config: each opens a plan to confirm, and the roll shows here.
        </EmptyState>
      </div>
    );
  return (
    <div>
      {toolbar}
      <div className="operations-view">
        {operations.length > 1 && (
          <ul className="list operation-list" aria-label="Operations">
            {operations.map((o) => (
              <li key={o.id}>
                <button className={o.id === shown.id ? 'item active' : 'item'} aria-pressed={o.id === shown.id} onClick={() => focus(o.id)}>
                  <span className="item-title">{o.title}</span>
                  <span className="item-sub">
                    <span className={`badge op-${o.state}`}>{o.state}</span> <Ago at={o.startedAt} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <OperationProgress operation={shown} onFollowLogs={followLogs} />
      </div>
    </div>
  );
}
