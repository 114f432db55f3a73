import { useEffect, useMemo, useRef, useState } from 'react';
import type { TalosEvent } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { DataTable, type Column } from '../components/DataTable';
import { TeachLine } from '../components/TeachLine';
import { Ago } from '../components/Values';
import { useNodeStream } from '../lib/use-node-stream';
import { xidTime } from '../lib/xid';
import { useActiveIdentity, useSession } from '../stores/session-store';

interface Row extends TalosEvent {
  node: string;
  seq: number;
  at: number | null;
}

const MAX_ROWS = 5000;

const columns: Column<Row>[] = [
  { key: 'time', label: 'Time', value: (r) => r.at ?? 0, render: (r) => (r.at ? <Ago at={r.at} /> : ''), align: 'right' },
  { key: 'node', label: 'Node', value: (r) => r.node },
  { key: 'type', label: 'Type', value: (r) => r.type },
  { key: 'event', label: 'Event', value: (r) => r.summary, wide: true },
  { key: 'actor', label: 'Actor', value: (r) => r.actorId, render: (r) => <span className="mono">{r.actorId}</span> },
  { key: 'id', label: 'ID', value: (r) => r.id, render: (r) => <span className="mono muted">{r.id}</span> },
];

/** The incident view: events from every selected node, merged by event id (xids sort by time). */
export function EventsView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [rows, setRows] = useState<Row[]>([]);
  const [states, setStates] = useState<Record<string, string>>({});
  const [type, setType] = useState('');
  const seq = useRef(0);

  const request = identity && nodes.length ? { identityId: identity.id, nodes, kind: 'events' as const, tail: -1 } : null;
  useEffect(() => setRows([]), [identity, nodes]);
  useNodeStream(request, {
    'stream.events': (batch) =>
      setRows((current) =>
        [...current, ...batch.events.map((e) => ({ ...e, node: batch.key, seq: seq.current++, at: xidTime(e.id) }))].slice(-MAX_ROWS),
      ),
    'stream.state': (s) => setStates((current) => ({ ...current, [s.key]: s.error ? `${s.state}: ${s.error.message}` : s.state })),
  });

  const types = useMemo(() => [...new Set(rows.map((r) => r.type))].sort(), [rows]);
  const visible = useMemo(
    () => (type ? rows.filter((r) => r.type === type) : [...rows]).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : b.seq - a.seq)),
    [rows, type],
  );

  if (!identity) return null;
  return (
    <div>
      <TeachLine command={talosctl.events({ context: identity.name, nodes })} method="/machine.MachineService/Events" />
      <DataTable
        label="Events"
        rows={visible}
        columns={columns}
        rowKey={(r) => `${r.node}/${r.id}/${r.seq}`}
        limit={1000}
        noun={['event', 'events']}
        loading={Object.keys(states).length === 0}
        empty="No events from the selected nodes yet; new ones appear here as they happen."
        tools={
          <>
            <label>
              Type{' '}
              <select value={type} onChange={(e) => setType(e.target.value)}>
                <option value="">All types</option>
                {types.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
            {Object.entries(states).map(([node, state]) => (
              <span key={node} className={state === 'open' ? 'badge' : 'badge expiry-soon'}>
                {node}: {state}
              </span>
            ))}
          </>
        }
      />
    </div>
  );
}
