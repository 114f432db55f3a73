import { useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { TeachLine } from '../components/TeachLine';
import type { LogSession, LogSessionState, LogSourceChoice } from '../logs/log-session';
import { TOTAL_LINE_BUDGET } from '../logs/log-tabs';
import { useUi } from '../stores/ui-store';

const CAPACITIES = [100_000, 250_000, 500_000, 1_000_000, 2_000_000];
const same = (a: LogSourceChoice, b: LogSourceChoice) => a.kind === b.kind && a.id === b.id;

export interface LogSourcesPanelProps {
  session: LogSession;
  view: LogSessionState;
  identity: IdentitySummary;
  /** The nodes the session streams from, or (not running) the sidebar's selection. */
  nodes: string[];
  /** Lines the other log sessions leave for this one. */
  budgetLeft: number;
  onDownload(scope: 'view' | 'all'): void;
}

/** What a log session streams (sources, tail, follow), how much it keeps, and its export: folded away once it runs. */
export function LogSourcesPanel({ session, view, identity, nodes, budgetLeft, onDownload }: LogSourcesPanelProps) {
  const notify = useUi((s) => s.notify);
  const [available, setAvailable] = useState<Response<'logs.sources'>>({ services: [], containers: [], errors: [] });
  const { sources: chosen, tail, follow } = view.choice;
  const firstNode = nodes[0];

  useEffect(() => {
    if (!firstNode) return;
    call('logs.sources', { identityId: identity.id, node: firstNode }).then(setAvailable, (e) => notify('error', errorText(e)));
  }, [identity.id, firstNode, notify]);

  const toggle = (s: LogSourceChoice) =>
    session.setChoice({ sources: chosen.some((x) => same(x, s)) ? chosen.filter((x) => !same(x, s)) : [...chosen, s] });
  const firstSource = chosen[0];
  const teach = firstSource
    ? firstSource.kind === 'kernel'
      ? talosctl.dmesg({ context: identity.name, nodes }, follow)
      : talosctl.logs({ context: identity.name, nodes }, firstSource.id, { follow, tail, k8s: firstSource.kind === 'container' })
    : '';

  return (
    <section className="card log-panel" id="log-panel" aria-label="Log sources panel">
      <strong>
        {view.running && view.target
          ? `Streaming as ${view.target.identityName} from ${view.target.nodes.join(', ')}`
          : `Sources on ${nodes.join(', ') || 'no node: select one in the sidebar'}`}
      </strong>
      {available.errors.map((e) => (
        <p key={e.call} className="warn-text" aria-label="Source list problem">
          {e.call} failed ({e.message}){e.call === 'LogsContainers' ? '; showing the services from ServiceList instead.' : '.'}
        </p>
      ))}
      <div className="toolbar" role="group" aria-label="Log sources">
        {available.services.map((id) => {
          const s: LogSourceChoice = id === 'kernel' ? { kind: 'kernel', id: 'kernel' } : { kind: 'service', id };
          return (
            <label key={id}>
              <input type="checkbox" checked={chosen.some((c) => same(c, s))} onChange={() => toggle(s)} /> {id}
            </label>
          );
        })}
      </div>
      <div className="toolbar">
        {available.containers.length > 0 && (
          <select
            aria-label="Add a Kubernetes container"
            value=""
            onChange={(e) => e.target.value && toggle({ kind: 'container', id: e.target.value })}
          >
            <option value="">Add a Kubernetes container (-k)…</option>
            {available.containers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id}
              </option>
            ))}
          </select>
        )}
        <label>
          Tail{' '}
          <select aria-label="Tail" value={tail} onChange={(e) => session.setChoice({ tail: Number(e.target.value) })}>
            <option value={0}>none</option>
            <option value={100}>100</option>
            <option value={1000}>1000</option>
            <option value={10000}>10000</option>
            <option value={-1}>all</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => session.setChoice({ follow: e.target.checked })} /> Follow
        </label>
        <label>
          Keep{' '}
          <select
            aria-label="Buffer size"
            value={view.capacity}
            title={`All log sessions together keep at most ${TOTAL_LINE_BUDGET.toLocaleString('en-US')} lines`}
            onChange={(e) => session.setCapacity(Number(e.target.value))}
          >
            {[...new Set([...CAPACITIES, view.capacity])]
              .sort((a, b) => a - b)
              .map((c) => (
                <option key={c} value={c} disabled={c > budgetLeft}>
                  {c.toLocaleString('en-US')} lines{c > budgetLeft ? ' (over the budget)' : ''}
                </option>
              ))}
          </select>
        </label>
        <span className="muted">{view.running ? 'Restart applies these choices.' : 'Start opens the stream.'}</span>
        <span className="toolbar-end">
          <button onClick={() => onDownload('view')} title="The lines the filter shows, as a text file">
            Download view
          </button>
          <button onClick={() => onDownload('all')} title="Every buffered line, as a text file">
            Download all
          </button>
        </span>
      </div>
      <TeachLine
        command={teach}
        method={firstSource?.kind === 'kernel' ? '/machine.MachineService/Dmesg' : '/machine.MachineService/Logs'}
      />
    </section>
  );
}
