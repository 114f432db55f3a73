import { useEffect, useMemo, useState } from 'react';
import { TIMELINE_KINDS, type Timeline, type TimelineEntry } from '../../../shared/domain/timeline';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { DataTable, type Column } from '../components/DataTable';
import { TeachLine } from '../components/TeachLine';
import { Ago } from '../components/Values';
import { openLogsAt } from '../health/open-logs-at';
import { downloadText } from '../lib/download';
import { useActiveIdentity, useSession } from '../stores/session-store';

const REFRESH_MS = 10_000;
const RANGES = [
  { minutes: 15, label: 'last 15 minutes' },
  { minutes: 60, label: 'last hour' },
  { minutes: 360, label: 'last 6 hours' },
  { minutes: 1440, label: 'last 24 hours' },
];
const KIND_HELP: Record<string, string> = {
  audit: 'your own audited actions (other than reboots, applies and upgrades)',
  reboot: 'reboots and boots (a new boot id)',
  config: 'config applies and config errors',
  upgrade: 'upgrades',
  service: 'service state changes',
  machine: 'machine stage and readiness',
  sequence: "Talos' sequences, phases and tasks",
  kernel: 'kernel warnings and errors (dmesg)',
  event: 'other Talos events',
};

const csvCell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function timelineCsv(entries: TimelineEntry[]): string {
  const head = ['time', 'node', 'kind', 'source', 'severity', 'title', 'actor', 'actorIds', 'detail'];
  const rows = entries.map((e) =>
    [new Date(e.at).toISOString(), e.node ?? '', e.kind, e.source, e.severity, e.title, e.actor, e.actorIds.join(' '), e.detail]
      .map(csvCell)
      .join(','),
  );
  return [head.join(','), ...rows].join('\n') + '\n';
}

/** One incident timeline for the selected nodes: every source merged by time, filterable, exportable. */
export function TimelineView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [minutes, setMinutes] = useState(60);
  const [kind, setKind] = useState('');
  const [node, setNode] = useState('');
  const [mine, setMine] = useState(false);

  useEffect(() => {
    if (!identity || !nodes.length) return;
    let stopped = false;
    const tick = async () => {
      try {
        const next = await call('timeline.collect', { identityId: identity.id, nodes, sinceMinutes: minutes });
        if (!stopped) {
          setTimeline(next);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(errorText(e));
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [identity, nodes, minutes]);

  const rows = useMemo(
    () =>
      (timeline?.entries ?? [])
        .filter((e) => (!kind || e.kind === kind) && (!node || e.node === node || e.node === null) && (!mine || e.source === 'audit'))
        .slice()
        .reverse(),
    [timeline, kind, node, mine],
  );
  if (!identity) return null;

  const columns: Column<TimelineEntry>[] = [
    {
      key: 'time',
      label: 'Time',
      value: (e) => e.at,
      render: (e) => (
        <span title={`${new Date(e.at).toISOString()}${e.source === 'Events' ? ' (Talos dates events to the second)' : ''}`}>
          {new Date(e.at).toLocaleTimeString()}{' '}
          <small className="muted">
            <Ago at={e.at} />
          </small>
        </span>
      ),
    },
    { key: 'node', label: 'Node', value: (e) => e.node ?? 'cluster' },
    {
      key: 'kind',
      label: 'Kind',
      value: (e) => e.kind,
      render: (e) => (
        <span className={`badge kind-${e.kind} sev-${e.severity}`} title={KIND_HELP[e.kind]}>
          {e.kind}
        </span>
      ),
    },
    { key: 'what', label: 'What', value: (e) => e.title, wide: true, render: (e) => <span title={e.detail}>{e.title}</span> },
    {
      key: 'actor',
      label: 'Actor',
      value: (e) => e.actor,
      render: (e) => (
        <span
          className="mono"
          title={
            e.actorIds.length
              ? `Talos actor id(s): ${e.actorIds.join(', ')}`
              : 'Talos gives sequence events started by Reboot, Upgrade, Reset and Shutdown an actor id; other events have none'
          }
        >
          {e.actor || '—'}
        </span>
      ),
    },
    { key: 'source', label: 'Source', value: (e) => e.source },
    {
      key: 'logs',
      label: 'Logs',
      value: (e) => e.log ?? '',
      render: (e) =>
        e.log && e.node ? (
          <button className="link" onClick={() => void openLogsAt(identity, e.node!, e.log!, e.source === 'dmesg' ? e.title : null)}>
            {e.log} at this moment
          </button>
        ) : (
          ''
        ),
    },
  ];
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  return (
    <div>
      <TeachLine
        command={talosctl.events({ context: identity.name, nodes })}
        method="/machine.MachineService/{Events,ServiceList,SystemStat,Dmesg} + audit trail"
      />
      {error && <p className="error-text">{error}</p>}
      {timeline?.failures.map((f) => (
        <p key={f.node} className="warn-text">
          {f.node}: {f.failures.map((x) => `${x.call}: ${x.message}`).join('; ')} (the rest of its history is shown)
        </p>
      ))}
      <DataTable
        label="Incident timeline"
        rows={rows}
        columns={columns}
        rowKey={(e) => e.id}
        limit={2000}
        noun={['entry', 'entries']}
        loading={!timeline && !error}
        empty="Nothing happened on the selected nodes in this time range."
        tools={
          <>
            <label>
              Range{' '}
              <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
                {RANGES.map((r) => (
                  <option key={r.minutes} value={r.minutes}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Node{' '}
              <select aria-label="Node" value={node} onChange={(e) => setNode(e.target.value)}>
                <option value="">All nodes</option>
                {nodes.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
            <label>
              Kind{' '}
              <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value)}>
                <option value="">All kinds</option>
                {TIMELINE_KINDS.map((k) => (
                  <option key={k} value={k} title={KIND_HELP[k]}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label title="Only what you did through Nodeglass (the audit trail)">
              <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> My actions
            </label>
            <button
              disabled={!rows.length}
              onClick={() =>
                downloadText(
                  `nodeglass-timeline-${stamp()}.jsonl`,
                  rows.map((e) => JSON.stringify(e)).join('\n') + '\n',
                  'application/x-ndjson',
                )
              }
            >
              Export JSON lines
            </button>
            <button
              disabled={!rows.length}
              onClick={() => downloadText(`nodeglass-timeline-${stamp()}.csv`, timelineCsv(rows), 'text/csv')}
            >
              Export CSV
            </button>
          </>
        }
      />
    </div>
  );
}
