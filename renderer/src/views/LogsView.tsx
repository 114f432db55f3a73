import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Response } from '../../../shared/contract';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { TeachLine } from '../components/TeachLine';
import { Visible } from '../components/Visible';
import { downloadParts } from '../lib/download';
import { plural } from '../lib/format';
import type { LogRow } from '../logs/log-store';
import type { LogSession, LogSourceChoice } from '../logs/log-session';
import { linesInUse, TOTAL_LINE_BUDGET, useLogTabs, type LogTab } from '../logs/log-tabs';
import { SEVERITY, SEVERITY_NAMES, type Severity } from '../logs/parse-line';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';

const ROW = 20;
type Source = LogSourceChoice;
const CAPACITIES = [100_000, 250_000, 500_000, 1_000_000, 2_000_000];

function time(row: LogRow): string {
  if (row.untimed) return 'no timestamp';
  const d = new Date(row.ts);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Splits text around search matches; the text is rendered as text nodes only. */
function Highlighted({ text, search }: { text: string; search: RegExp | null }) {
  if (!search) return <Visible text={text} />;
  const parts: React.ReactNode[] = [];
  let last = 0;
  search.lastIndex = 0;
  for (let m = search.exec(text); m && parts.length < 200; m = search.exec(text)) {
    if (m[0] === '') {
      search.lastIndex++;
      continue;
    }
    parts.push(
      <Visible key={`t${last}`} text={text.slice(last, m.index)} />,
      <mark key={m.index}>
        <Visible text={m[0]} />
      </mark>,
    );
    last = m.index + m[0].length;
  }
  parts.push(<Visible key={`t${last}`} text={text.slice(last)} />);
  return <>{parts}</>;
}

/** A tab's name: what it streams and from where, once started. */
function TabLabel({ session }: { session: LogSession }) {
  const target = useStore(session.state, (s) => s.target);
  const sources = useStore(session.state, (s) => s.sources);
  const running = useStore(session.state, (s) => s.running);
  const total = useStore(session.state, (s) => s.total);
  if (!target) return <>New session</>;
  const ids = [...new Set(sources.map((s) => (s.kind === 'kernel' ? 'kernel' : s.id)))];
  const where = target.nodes.length === 1 ? target.nodes[0] : `${target.nodes.length} nodes`;
  return (
    <>
      <span className={running ? 'tab-live' : 'tab-stopped'} aria-label={running ? 'streaming' : 'stopped'}>
        {running ? '●' : '○'}
      </span>{' '}
      {ids.join(', ')} · {where} <span className="muted">{total.toLocaleString('en-US')}</span>
    </>
  );
}

/**
 * Logs: the log sessions of the active identity as tabs. Sessions live in a store, not in this view, so
 * leaving Logs keeps their buffers, filters and streams; another identity's sessions keep running in the
 * background and are never shown here.
 */
export function LogsView() {
  const identity = useActiveIdentity();
  const tabs = useLogTabs((s) => s.tabs);
  const activeId = useLogTabs((s) => (identity ? s.active[identity.id] : undefined));
  const notify = useUi((s) => s.notify);
  useEffect(() => {
    if (identity) useLogTabs.getState().ensure(identity.id);
  }, [identity]);
  if (!identity) return null;
  const mine = tabs.filter((t) => t.identityId === identity.id);
  const tab = mine.find((t) => t.id === activeId) ?? mine[0];
  const others = tabs.length - mine.length;
  const add = () => {
    const added = useLogTabs.getState().add(identity.id);
    if ('error' in added) notify('warning', added.error);
  };
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <div className="toolbar log-tabs" role="group" aria-label="Log sessions">
        {mine.map((t) => (
          <span key={t.id} className={t.id === tab?.id ? 'tab active' : 'tab'}>
            <button
              data-log-tab
              aria-pressed={t.id === tab?.id}
              className="link"
              onClick={() => useLogTabs.getState().select(identity.id, t.id)}
            >
              <TabLabel session={t.session} />
            </button>
            <button
              className="link"
              aria-label="Close log session"
              title="Close this log session and drop its lines"
              onClick={() => useLogTabs.getState().close(t.id)}
            >
              ×
            </button>
          </span>
        ))}
        <button onClick={add} title="Another log session with its own buffer and sources">
          + New log session
        </button>
        {others > 0 && (
          <span className="muted" aria-label="Background log sessions">
            {plural(others, 'log session')} of other identities running in the background{' '}
            <button
              className="link"
              onClick={() => tabs.filter((t) => t.identityId !== identity.id).forEach((t) => useLogTabs.getState().close(t.id))}
            >
              Close them
            </button>
          </span>
        )}
      </div>
      {tab && <LogSessionView key={tab.id} tab={tab} />}
    </div>
  );
}

function LogSessionView({ tab }: { tab: LogTab }) {
  const session = tab.session;
  const identity = useActiveIdentity();
  const selected = useSession((s) => s.selected);
  const notify = useUi((s) => s.notify);
  const view = useStore(session.state);
  const tabs = useLogTabs((s) => s.tabs);
  const budgetLeft = TOTAL_LINE_BUDGET - linesInUse(tabs, tab.id);
  // A running session shows the nodes it streams from; a new one offers the sidebar's selection.
  const nodes = view.running && view.target ? view.target.nodes : selected;
  const [available, setAvailable] = useState<Response<'logs.sources'>>({ services: [], containers: [], errors: [] });
  const { sources: chosen, tail, follow } = view.choice;
  const [wrap, setWrap] = useState(false);
  const [showTime, setShowTime] = useState(true);
  const [search, setSearch] = useState(view.filter.text);
  const [current, setCurrent] = useState(-1);
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  const [stickToEnd, setStickToEnd] = useState(true);
  const rowsCache = useRef(new Map<number, LogRow>());
  const [, setTick] = useState(0);
  const parent = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!identity || !nodes[0]) return;
    call('logs.sources', { identityId: identity.id, node: nodes[0] }).then(setAvailable, (e) => notify('error', errorText(e)));
  }, [identity, nodes, notify]);

  const virtualizer = useVirtualizer({ count: view.view, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 30 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  // Fetch visible rows from the worker whenever the store changes or the window moves.
  useEffect(() => {
    if (last < first) return;
    let cancelled = false;
    void session.rows(first, last + 1).then((rows) => {
      if (cancelled) return;
      rowsCache.current = new Map(rows.map((r) => [r.index, r]));
      setTick((t) => t + 1);
    });
    return () => {
      cancelled = true;
    };
  }, [session, first, last, view.revision]);

  useEffect(() => {
    if (stickToEnd && view.view > 0) virtualizer.scrollToIndex(view.view - 1, { align: 'end' });
  }, [stickToEnd, view.view, view.revision, virtualizer]);

  if (!identity) return null;
  const sourceLabel = (s: Source) => (s.kind === 'kernel' ? 'kernel' : s.id);
  const toggleSource = (s: Source) =>
    session.setChoice({
      sources: chosen.some((x) => x.kind === s.kind && x.id === s.id)
        ? chosen.filter((x) => !(x.kind === s.kind && x.id === s.id))
        : [...chosen, s],
    });
  const start = () => void session.open(identity, selected).catch((e) => notify('error', errorText(e)));
  const setFilter = (patch: Partial<typeof view.filter>) => session.setFilter({ ...view.filter, ...patch });
  let highlighter: RegExp | null = null;
  try {
    highlighter = view.filter.text
      ? new RegExp(
          view.filter.regex ? view.filter.text : view.filter.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          view.filter.caseSensitive ? 'g' : 'gi',
        )
      : null;
  } catch {
    highlighter = null;
  }
  const jump = async (direction: 1 | -1) => {
    const index = await session.find(current < 0 ? (direction === 1 ? -1 : 0) : current, direction);
    if (index >= 0) {
      setCurrent(index);
      setStickToEnd(false);
      virtualizer.scrollToIndex(index, { align: 'center' });
    }
  };
  const copy = async () => {
    if (!selection) return;
    const text = await session.text(Math.min(selection.from, selection.to), Math.max(selection.from, selection.to) + 1);
    await navigator.clipboard.writeText(text).then(
      () => notify('info', `Copied ${plural(Math.abs(selection.to - selection.from) + 1, 'line')}.`),
      () => notify('warning', 'The clipboard is not available here.'),
    );
  };
  const download = async (scope: 'view' | 'all') =>
    downloadParts(`nodeglass-${scope}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`, await session.exportText(scope));
  const firstSource = chosen[0];
  const teach = firstSource
    ? firstSource.kind === 'kernel'
      ? talosctl.dmesg({ context: identity.name, nodes }, follow)
      : talosctl.logs({ context: identity.name, nodes }, firstSource.id, { follow, tail, k8s: firstSource.kind === 'container' })
    : '';

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <section className="card" aria-label="Log sources panel">
        <strong>
          {view.running && view.target
            ? `Streaming as ${view.target.identityName} from ${view.target.nodes.join(', ')}`
            : `Sources on ${nodes.join(', ')}`}
        </strong>
        {available.errors.map((e) => (
          <p key={e.call} className="warn-text" aria-label="Source list problem">
            {e.call} failed ({e.message}){e.call === 'LogsContainers' ? '; showing the services from ServiceList instead.' : '.'}
          </p>
        ))}
        <div className="toolbar" role="group" aria-label="Log sources">
          {available.services.map((id) => {
            const s: Source = id === 'kernel' ? { kind: 'kernel', id: 'kernel' } : { kind: 'service', id };
            return (
              <label key={id}>
                <input type="checkbox" checked={chosen.some((c) => c.kind === s.kind && c.id === s.id)} onChange={() => toggleSource(s)} />{' '}
                {id}
              </label>
            );
          })}
        </div>
        {available.containers.length > 0 && (
          <select
            aria-label="Add a Kubernetes container"
            value=""
            onChange={(e) => e.target.value && toggleSource({ kind: 'container', id: e.target.value })}
          >
            <option value="">Add a Kubernetes container (-k)…</option>
            {available.containers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id}
              </option>
            ))}
          </select>
        )}
        <div className="toolbar">
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
          <span className="muted">{chosen.map(sourceLabel).join(', ')}</span>
          <button className="primary" disabled={chosen.length === 0 || selected.length === 0} onClick={start}>
            {view.running ? 'Restart' : 'Start'}
          </button>
          {view.running && <button onClick={() => void session.stop()}>Stop</button>}
        </div>
      </section>
      <TeachLine
        command={teach}
        method={firstSource?.kind === 'kernel' ? '/machine.MachineService/Dmesg' : '/machine.MachineService/Logs'}
      />
      <div className="toolbar">
        <button aria-pressed={view.paused} onClick={() => session.setPaused(!view.paused)}>
          {view.paused ? `Resume (${view.behind.toLocaleString()} lines behind)` : 'Pause'}
        </button>
        <button
          onClick={() => {
            setStickToEnd(true);
            virtualizer.scrollToIndex(view.view - 1, { align: 'end' });
          }}
        >
          Jump to end
        </button>
        <input
          aria-label="Search logs"
          data-filter
          placeholder="Search (/)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setFilter({ text: search });
          }}
        />
        <label>
          <input
            type="checkbox"
            aria-label="Regex"
            checked={view.filter.regex}
            onChange={(e) => setFilter({ regex: e.target.checked, text: search })}
          />{' '}
          .*
        </label>
        <label>
          <input
            type="checkbox"
            aria-label="Match case"
            checked={view.filter.caseSensitive}
            onChange={(e) => setFilter({ caseSensitive: e.target.checked, text: search })}
          />{' '}
          Aa
        </label>
        <select
          aria-label="Search mode"
          value={view.filter.mode}
          onChange={(e) => setFilter({ mode: e.target.value as 'filter' | 'highlight', text: search })}
        >
          <option value="filter">filter</option>
          <option value="highlight">highlight</option>
        </select>
        <span role="status" aria-label="Match count" className="muted">
          {view.filter.text ? plural(view.matches, 'match', 'matches') : ''}
        </span>
        <button aria-label="Previous match" onClick={() => void jump(-1)} disabled={!view.filter.text}>
          ↑
        </button>
        <button aria-label="Next match" onClick={() => void jump(1)} disabled={!view.filter.text}>
          ↓
        </button>
        <select
          aria-label="Severity"
          value={view.filter.minSeverity}
          onChange={(e) => setFilter({ minSeverity: Number(e.target.value) as Severity })}
        >
          <option value={SEVERITY.unknown}>all severities</option>
          {([SEVERITY.debug, SEVERITY.info, SEVERITY.warn, SEVERITY.error, SEVERITY.fatal] as Severity[]).map((s) => (
            <option key={s} value={s}>
              {SEVERITY_NAMES[s]} and above
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap
        </label>
        <label>
          <input type="checkbox" checked={showTime} onChange={(e) => setShowTime(e.target.checked)} /> Timestamps
        </label>
        <button onClick={() => void copy()} disabled={!selection}>
          Copy selected
        </button>
        <button onClick={() => void download('view')}>Download view</button>
        <button onClick={() => void download('all')}>Download all</button>
      </div>
      {view.filterError && (
        <p className="error-text" role="alert">
          Invalid regular expression: {view.filterError}
        </p>
      )}
      <div className="toolbar" role="group" aria-label="Legend">
        {view.sources.map((s) => (
          <span key={s.key} className="badge" style={{ color: s.color, borderColor: s.color }}>
            {s.label} {view.streamStates[s.key] && view.streamStates[s.key] !== 'open' ? `(${view.streamStates[s.key]})` : ''}
          </span>
        ))}
        <span className="muted" role="status" aria-label="Buffer status">
          {view.view.toLocaleString()} shown · {view.total.toLocaleString()} buffered
          {view.dropped ? ` · ${view.dropped.toLocaleString()} oldest dropped` : ''} · {view.received.toLocaleString()} received
          {view.behind ? ` · ${view.behind.toLocaleString()} lines behind` : ''}
          {view.lostBehind ? ` · ${view.lostBehind.toLocaleString()} lost while behind` : ''}
          {view.filterMs !== null ? ` · filtered in ${view.filterMs.toFixed(0)} ms` : ''}
        </span>
      </div>
      <div
        ref={parent}
        className="log-scroll mono"
        tabIndex={0}
        role="log"
        aria-label="Log lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          setStickToEnd(el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2);
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rowsCache.current.get(item.index);
            const source = row ? view.sources[row.source] : undefined;
            const selected =
              selection && item.index >= Math.min(selection.from, selection.to) && item.index <= Math.max(selection.from, selection.to);
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={wrap ? virtualizer.measureElement : undefined}
                className={`log-row sev-${row ? SEVERITY_NAMES[row.severity] : 'unknown'}${row?.mark ? ' log-mark' : ''}${selected ? ' selected' : ''}${item.index === current ? ' current' : ''}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${item.start}px)`,
                  height: wrap ? undefined : ROW,
                  whiteSpace: wrap ? 'pre-wrap' : 'pre',
                }}
                onClick={(e) =>
                  setSelection(e.shiftKey && selection ? { from: selection.from, to: item.index } : { from: item.index, to: item.index })
                }
              >
                {row && (
                  <>
                    {showTime && <span className={row.untimed ? 'log-time untimed' : 'log-time'}>{time(row)}</span>}
                    <span className="log-source" style={{ color: source?.color }}>
                      {source?.label ?? row.source}
                    </span>
                    <span className="log-text">
                      <Highlighted text={row.text} search={highlighter} />
                    </span>
                  </>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
