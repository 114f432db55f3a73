import { useEffect, useMemo, useRef, useState } from 'react';
import type { TalosEvent } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { useNodeStream } from '../lib/use-node-stream';
import { TeachLine } from '../components/TeachLine';
import { useActiveIdentity, useSession } from '../stores/session-store';

interface Row extends TalosEvent {
  node: string;
  seq: number;
}

const MAX_ROWS = 5000;

/** The incident view: events from every selected node, merged by event id (xids sort by time). */
export function EventsView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [rows, setRows] = useState<Row[]>([]);
  const [states, setStates] = useState<Record<string, string>>({});
  const [filter, setFilter] = useState('');
  const [type, setType] = useState('');
  const seq = useRef(0);

  const request = identity && nodes.length ? { identityId: identity.id, nodes, kind: 'events' as const, tail: -1 } : null;
  useEffect(() => setRows([]), [identity, nodes]);
  useNodeStream(request, {
    'stream.events': (batch) =>
      setRows((current) => [...current, ...batch.events.map((e) => ({ ...e, node: batch.node, seq: seq.current++ }))].slice(-MAX_ROWS)),
    'stream.state': (s) => setStates((current) => ({ ...current, [s.node]: s.error ? `${s.state}: ${s.error.message}` : s.state })),
  });

  const types = useMemo(() => [...new Set(rows.map((r) => r.type))].sort(), [rows]);
  const visible = useMemo(() => {
    const q = filter.toLowerCase();
    return rows
      .filter((r) => (!type || r.type === type) && (!q || `${r.node} ${r.summary} ${r.actorId}`.toLowerCase().includes(q)))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : b.seq - a.seq));
  }, [rows, filter, type]);

  if (!identity) return null;
  return (
    <div>
      <div className="toolbar">
        <input data-filter aria-label="Filter events" placeholder="Filter (/)" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <select aria-label="Event type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        {Object.entries(states).map(([node, state]) => (
          <span key={node} className={state === 'open' ? 'badge' : 'badge expiry-soon'}>
            {node}: {state}
          </span>
        ))}
      </div>
      <TeachLine command={talosctl.events({ context: identity.name, nodes })} method="/machine.MachineService/Events" />
      <table className="grid" aria-label="Events">
        <thead>
          <tr>
            <th>Node</th>
            <th>Type</th>
            <th>Event</th>
            <th>Actor</th>
            <th>ID</th>
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, 1000).map((r) => (
            <tr key={`${r.node}/${r.id}/${r.seq}`}>
              <td>{r.node}</td>
              <td>{r.type}</td>
              <td>{r.summary}</td>
              <td className="mono">{r.actorId}</td>
              <td className="mono muted">{r.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
