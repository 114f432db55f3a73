import { useMemo, useState, type ReactNode } from 'react';
import { EmptyState } from '../../components/States';
import { ROLE_GROUPS } from '../../lib/node-roles';
import { duration } from '../../lib/time';
import { HEALTH, HEALTH_LABEL, worstFirst, type FleetRow } from './node-health';

interface FleetColumn {
  key: string;
  label: string;
  sort(row: FleetRow): number | string;
  cell(row: FleetRow): ReactNode;
  num?: boolean;
  wide?: boolean;
}

const missing = <span className="muted">–</span>;

/** A cell whose call did not answer: "unknown" on a node that answered other calls, a dash on one that answered none. */
function absent(r: FleetRow) {
  return r.health === 'down' || r.health === 'error' ? (
    missing
  ) : (
    <span className="muted" title="Not received: see Last error">
      unknown
    </span>
  );
}

function Meter({ percent, title }: { percent: number; title?: string }) {
  const level = percent >= 90 ? 'high' : percent >= 75 ? 'warm' : 'fine';
  return (
    <span className="meter-cell" title={title}>
      <span className={`meter meter-${level}`} aria-hidden>
        <span style={{ width: `${Math.min(100, Math.max(0, percent))}%` }} />
      </span>
      {percent.toFixed(0)}
    </span>
  );
}

const COLUMNS: FleetColumn[] = [
  {
    key: 'health',
    label: 'Health',
    sort: (r) => HEALTH.indexOf(r.health),
    cell: (r) => <span className={`health-pill health-${r.health}`}>{HEALTH_LABEL[r.health]}</span>,
  },
  {
    key: 'node',
    label: 'Node',
    sort: (r) => r.hostname || r.node,
    cell: (r) => (
      <span className="node-name">
        {r.hostname || r.node}
        {r.hostname && <small className="muted"> {r.node}</small>}
      </span>
    ),
  },
  { key: 'version', label: 'Talos', sort: (r) => r.version ?? '', cell: (r) => r.version ?? absent(r) },
  {
    key: 'stage',
    label: 'Stage',
    sort: (r) => `${r.ready === false ? 0 : 1}${r.stage ?? ''}`,
    cell: (r) => (r.stage === null ? absent(r) : `${r.stage}${r.ready === false ? ', not ready' : ''}`),
  },
  {
    key: 'uptime',
    label: 'Uptime',
    sort: (r) => r.uptimeSeconds ?? -1,
    cell: (r) => (r.uptimeSeconds === null ? absent(r) : duration(r.uptimeSeconds)),
    num: true,
  },
  {
    key: 'cpu',
    label: 'CPU (%)',
    sort: (r) => r.cpuPercent ?? -1,
    cell: (r) => (r.cpuPercent === null ? absent(r) : <Meter percent={r.cpuPercent} />),
    num: true,
  },
  {
    key: 'memory',
    label: 'Memory (%)',
    sort: (r) => r.memoryPercent ?? -1,
    cell: (r) =>
      r.memoryPercent === null ? absent(r) : <Meter percent={r.memoryPercent} title={`${r.memoryUsedMb} of ${r.memoryTotalMb} MiB used`} />,
    num: true,
  },
  {
    key: 'load',
    label: 'Load (1m)',
    sort: (r) => r.load1 ?? -1,
    cell: (r) => (r.load1 === null ? absent(r) : r.load1.toFixed(2)),
    num: true,
  },
  {
    key: 'failing',
    label: 'Failing services',
    sort: (r) => r.failing?.length ?? -1,
    cell: (r) => (r.failing === null ? absent(r) : r.failing.length ? <span className="error-text">{r.failing.join(', ')}</span> : missing),
  },
  {
    key: 'problem',
    label: 'Last error',
    sort: (r) => r.problem,
    cell: (r) => (r.problem ? <span className="problem">{r.problem}</span> : missing),
    wide: true,
  },
];

export function matchesFleetFilter(r: FleetRow, lowerCaseQuery: string): boolean {
  return `${r.node} ${r.hostname} ${r.version ?? ''} ${r.stage ?? ''} ${HEALTH_LABEL[r.health]} ${r.failing?.join(' ') ?? ''} ${r.problem}`
    .toLowerCase()
    .includes(lowerCaseQuery);
}

/** The Overview above a handful of nodes: one dense row per node, grouped by role, the worst on top. */
export function FleetTable(props: { rows: FleetRow[]; filter: string; openNode: string | null; onOpen(node: string): void }) {
  const { rows, filter, openNode, onOpen } = props;
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const groups = useMemo(() => {
    const q = filter.toLowerCase();
    const shown = q ? rows.filter((r) => matchesFleetFilter(r, q)) : rows;
    const column = COLUMNS.find((c) => c.key === sort?.key);
    const order = (a: FleetRow, b: FleetRow) => {
      if (!column || !sort) return worstFirst(a, b);
      const x = column.sort(a);
      const y = column.sort(b);
      const by = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return (sort.desc ? -by : by) || worstFirst(a, b);
    };
    return ROLE_GROUPS.map((g) => ({ ...g, rows: shown.filter((r) => r.role === g.id).sort(order) })).filter((g) => g.rows.length);
  }, [rows, filter, sort]);
  const shownCount = groups.reduce((n, g) => n + g.rows.length, 0);

  return (
    <div className="fleet">
      {sort && (
        <div className="toolbar">
          <button className="link" onClick={() => setSort(null)}>
            Sort worst first again
          </button>
        </div>
      )}
      <table className="grid fleet-table" aria-label="Nodes by role, worst first">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.num ? 'num' : undefined}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
              >
                <button
                  className="sort"
                  title={`Sort by ${c.label} within each role`}
                  onClick={() => setSort(sort?.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: Boolean(c.num) })}
                >
                  {c.label}
                  <span className="sort-mark" aria-hidden>
                    {sort?.key === c.key ? (sort.desc ? '▼' : '▲') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        {groups.map((g) => {
          const bad = g.rows.filter((r) => r.health !== 'ok').length;
          return (
            <tbody key={g.id} data-group={g.id}>
              <tr className="group-row">
                <th scope="rowgroup" colSpan={COLUMNS.length}>
                  {g.title} <span className="muted">{g.rows.length}</span>
                  {bad > 0 && <span className="warn-text"> · {bad} need attention</span>}
                </th>
              </tr>
              {g.rows.map((r) => (
                <tr
                  key={r.node}
                  data-node-row={r.node}
                  data-health={r.health}
                  data-partial={r.notReceived.length ? r.notReceived.map((f) => f.call).join(' ') : undefined}
                  className={`openable${openNode === r.node ? ' open' : ''}`}
                  tabIndex={0}
                  aria-current={openNode === r.node ? 'true' : undefined}
                  onClick={() => onOpen(r.node)}
                  onKeyDown={(e) => e.key === 'Enter' && e.target === e.currentTarget && onOpen(r.node)}
                >
                  {COLUMNS.map((c) => (
                    <td key={c.key} className={c.num ? 'num' : c.wide ? 'wide' : undefined}>
                      {c.cell(r)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          );
        })}
      </table>
      {rows.length > 0 && shownCount === 0 && <EmptyState>No node matches “{filter}”.</EmptyState>}
    </div>
  );
}
