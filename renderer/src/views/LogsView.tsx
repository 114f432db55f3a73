import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { errorText } from '../api/call';
import { FilterBox } from '../components/FilterBox';
import { downloadParts } from '../lib/download';
import { plural } from '../lib/format';
import type { LogRow } from '../logs/log-store';
import { isPlainKey } from '../lib/shortcuts';
import type { LogSession } from '../logs/log-session';
import { linesInUse, TOTAL_LINE_BUDGET, useLogTabs, type LogTab } from '../logs/log-tabs';
import { SEVERITY, SEVERITY_NAMES, type Severity } from '../logs/parse-line';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { LogRowView, searchHighlighter } from './LogRowView';
import { LogSourcesPanel } from './LogSourcesPanel';
import { useFixedRows } from './use-fixed-rows';

const ROW = 20;

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
    <div className="logs-screen">
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

/** The keys of the Logs screen, listed under `?` (registry.ts). */
export const LOG_KEYS = { fullScreen: 'f', wrap: 'w', time: 't', columns: 'c' } as const;

/** A line's key for its opened fields: stable while the line moves in the buffer (filters, drops). */
const lineKey = (row: LogRow) => `${row.source}:${row.ts}:${row.text}`;

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
  const [panelOpen, setPanelOpen] = useState(!view.running);
  const [fullScreen, setFullScreen] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [showTime, setShowTime] = useState(true);
  const [columns, setColumns] = useState(true);
  const [opened, setOpened] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [current, setCurrent] = useState(-1);
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  const [stickToEnd, setStickToEnd] = useState(true);
  const rowsCache = useRef(new Map<number, LogRow>());
  const [, setTick] = useState(0);
  const parent = useRef<HTMLDivElement>(null);

  // Rows are 20 px unless wrapped or opened; only then are they measured (measuring costs a layout per row).
  const measured = wrap || [...opened.values()].some(Boolean);
  // Following the newest lines, every update replaces every row drawn: draw few beyond the screen (the ones
  // above are needed only once the operator scrolls up, which stops the following). A third of the page's
  // time during a bulk load went to rows nobody could see.
  const fixed = useFixedRows(measured ? 0 : view.view, ROW, parent, stickToEnd ? 5 : 30);
  const virtualizer = useVirtualizer({
    count: measured ? view.view : 0,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW,
    overscan: 30,
  });
  const items = measured ? virtualizer.getVirtualItems() : fixed.items;
  const totalSize = measured ? virtualizer.getTotalSize() : fixed.totalSize;
  const scrollToIndex = (index: number, align: 'center' | 'end') =>
    measured ? virtualizer.scrollToIndex(index, { align }) : fixed.scrollToIndex(index, align);
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  // Fetch visible rows from the worker whenever the store changes or the window moves. Every answer newer
  // than the one shown is shown: cancelling superseded requests starves the newest rows while lines stream in.
  const fetches = useRef({ asked: 0, shown: 0 });
  useEffect(() => {
    if (last < first) return;
    const seq = ++fetches.current.asked;
    void session.rows(first, last + 1).then((rows) => {
      if (seq <= fetches.current.shown) return;
      fetches.current.shown = seq;
      rowsCache.current = new Map(rows.map((r) => [r.index, r]));
      setTick((t) => t + 1);
    });
  }, [session, first, last, view.revision]);

  useEffect(() => {
    if (stickToEnd && view.view > 0) scrollToIndex(view.view - 1, 'end');
    // eslint-disable-next-line react-hooks/exhaustive-deps -- scrollToIndex follows `measured`, listed here
  }, [stickToEnd, view.view, view.revision, measured, fullScreen, panelOpen]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isPlainKey(e, LOG_KEYS.fullScreen)) setFullScreen((v) => !v);
      else if (isPlainKey(e, LOG_KEYS.wrap)) setWrap((v) => !v);
      else if (isPlainKey(e, LOG_KEYS.time)) setShowTime((v) => !v);
      else if (isPlainKey(e, LOG_KEYS.columns)) setColumns((v) => !v);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Back to fixed rows: forget the heights measured while rows were wrapped or opened.
  useEffect(() => virtualizer.measure(), [virtualizer, wrap, opened]);

  // Escape leaves full screen (but first closes whatever else it closes: a box, a dialog).
  useEffect(() => {
    if (!fullScreen) return;
    const onKey = (e: KeyboardEvent) => {
      if (!isPlainKey(e, 'Escape')) return;
      e.preventDefault();
      setFullScreen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [fullScreen]);

  const selectRow = useCallback(
    (index: number, extend: boolean) => setSelection((sel) => (extend && sel ? { from: sel.from, to: index } : { from: index, to: index })),
    [],
  );
  const toggleFields = useCallback((key: string, open: boolean) => setOpened((m) => new Map(m).set(key, open)), []);
  const highlighter = useMemo(() => searchHighlighter(view.filter), [view.filter]);

  if (!identity) return null;
  const start = () => {
    setPanelOpen(false);
    void session.open(identity, selected).catch((e) => notify('error', errorText(e)));
  };
  const setFilter = (patch: Partial<typeof view.filter>) => session.setFilter({ ...view.filter, ...patch });
  const jump = async (direction: 1 | -1) => {
    const index = await session.find(current < 0 ? (direction === 1 ? -1 : 0) : current, direction);
    if (index >= 0) {
      setCurrent(index);
      setStickToEnd(false);
      scrollToIndex(index, 'center');
    }
  };
  const selectedLines = selection ? Math.abs(selection.to - selection.from) + 1 : 0;
  const copy = async () => {
    if (!selection) return;
    const text = await session.text(Math.min(selection.from, selection.to), Math.max(selection.from, selection.to) + 1);
    await navigator.clipboard.writeText(text).then(
      () => notify('info', `Copied ${plural(selectedLines, 'line')}.`),
      () => notify('warning', 'The clipboard is not available here.'),
    );
  };
  const download = async (scope: 'view' | 'all') =>
    downloadParts(`nodeglass-${scope}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`, await session.exportText(scope));
  const sourceSummary = [...new Set(view.choice.sources.map((s) => (s.kind === 'kernel' ? 'kernel' : s.id)))].join(', ') || 'none';

  return (
    <div className={fullScreen ? 'logs fullscreen' : 'logs'}>
      <div className="toolbar logs-toolbar" role="toolbar" aria-label="Log controls">
        <button
          className="sources-toggle"
          aria-expanded={panelOpen}
          aria-controls={panelOpen ? 'log-panel' : undefined}
          onClick={() => setPanelOpen(!panelOpen)}
          title={`Sources (${sourceSummary}), nodes, tail, buffer size and downloads`}
        >
          <span aria-hidden="true">{panelOpen ? '▾' : '▸'}</span> Sources
        </button>
        <button className="primary start" disabled={view.choice.sources.length === 0 || selected.length === 0} onClick={start}>
          {view.running ? 'Restart' : 'Start'}
        </button>
        <button onClick={() => void session.stop()} disabled={!view.running}>
          Stop
        </button>
        <button
          className="pause"
          aria-pressed={view.paused}
          onClick={() => session.setPaused(!view.paused)}
          title="Pause keeps every line arriving; Resume shows them"
        >
          {view.paused ? `Resume (${view.behind.toLocaleString('en-US')} lines behind)` : 'Pause'}
        </button>
        <FilterBox
          label="Search logs"
          placeholder="Search (/)"
          className="log-search"
          value={view.filter.text}
          onChange={(text) => setFilter({ text })}
          onEnter={() => void jump(1)}
          invalid={Boolean(view.filterError)}
        />
        <label title="Regular expression">
          <input type="checkbox" aria-label="Regex" checked={view.filter.regex} onChange={(e) => setFilter({ regex: e.target.checked })} />
          .*
        </label>
        <label title="Match case">
          <input
            type="checkbox"
            aria-label="Match case"
            checked={view.filter.caseSensitive}
            onChange={(e) => setFilter({ caseSensitive: e.target.checked })}
          />
          Aa
        </label>
        <select
          aria-label="Search mode"
          value={view.filter.mode}
          onChange={(e) => setFilter({ mode: e.target.value as 'filter' | 'highlight' })}
        >
          <option value="filter">filter</option>
          <option value="highlight">highlight</option>
        </select>
        <span role="status" aria-label="Match count" className="muted match-count">
          {view.filter.text ? plural(view.matches, 'match', 'matches') : ''}
        </span>
        <button aria-label="Previous match" title="Previous match" onClick={() => void jump(-1)} disabled={!view.filter.text}>
          ↑
        </button>
        <button aria-label="Next match" title="Next match (Enter)" onClick={() => void jump(1)} disabled={!view.filter.text}>
          ↓
        </button>
      </div>
      {panelOpen && (
        <LogSourcesPanel
          session={session}
          view={view}
          identity={identity}
          nodes={nodes}
          budgetLeft={budgetLeft}
          onDownload={(scope) => void download(scope)}
        />
      )}
      {view.filterError && (
        <p className="error-text" role="alert">
          Invalid regular expression: {view.filterError}
        </p>
      )}
      <div className="toolbar log-status">
        <div className="log-legend" role="group" aria-label="Legend">
          {view.sources.map((s) => (
            <span key={s.key} className="badge" style={{ color: s.color, borderColor: s.color }}>
              {s.label} {view.streamStates[s.key] && view.streamStates[s.key] !== 'open' ? `(${view.streamStates[s.key]})` : ''}
            </span>
          ))}
          <span className="muted" role="status" aria-label="Buffer status">
            {view.view.toLocaleString('en-US')} shown · {view.total.toLocaleString('en-US')} buffered
            {view.dropped ? ` · ${view.dropped.toLocaleString('en-US')} oldest dropped` : ''} · {view.received.toLocaleString('en-US')}{' '}
            received
            {view.behind ? ` · ${view.behind.toLocaleString('en-US')} lines behind` : ''}
            {view.lostBehind ? ` · ${view.lostBehind.toLocaleString('en-US')} lost while behind` : ''}
            {view.filterMs !== null ? ` · filtered in ${view.filterMs.toFixed(0)} ms` : ''}
          </span>
        </div>
        <div className="log-display" role="group" aria-label="Display">
          {selectedLines > 0 && (
            <button className="link" onClick={() => void copy()} title="Copy the selected lines (shift-click extends the selection)">
              Copy {plural(selectedLines, 'line')}
            </button>
          )}
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
          <button
            onClick={() => {
              setStickToEnd(true);
              scrollToIndex(view.view - 1, 'end');
            }}
            title="Follow the newest line"
          >
            Jump to end
          </button>
          <button aria-pressed={columns} onClick={() => setColumns(!columns)} title="Level, component and message as columns (c)">
            Columns
          </button>
          <button aria-pressed={wrap} onClick={() => setWrap(!wrap)} title="Wrap long lines (w)">
            Wrap
          </button>
          <button aria-pressed={showTime} onClick={() => setShowTime(!showTime)} title="Show timestamps (t)">
            Timestamps
          </button>
          <button aria-pressed={fullScreen} onClick={() => setFullScreen(!fullScreen)} title="Full screen (f; Esc leaves)">
            Full screen
          </button>
        </div>
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
        {view.view === 0 && (
          <p className="muted log-empty">
            {view.running
              ? view.total > 0
                ? 'No line matches the search or level.'
                : 'Waiting for lines…'
              : 'Choose sources under Sources, then Start.'}
          </p>
        )}
        <div style={{ height: totalSize, position: 'relative' }}>
          {items.map((item) => {
            const row = rowsCache.current.get(item.index);
            const key = row ? lineKey(row) : '';
            const expanded = row ? opened.get(key) : undefined;
            return (
              <LogRowView
                key={item.key}
                index={item.index}
                start={item.start}
                row={row}
                source={row ? view.sources[row.source] : undefined}
                lineKey={key}
                tall={wrap || expanded === true}
                measure={measured ? virtualizer.measureElement : undefined}
                selected={
                  selection !== null &&
                  item.index >= Math.min(selection.from, selection.to) &&
                  item.index <= Math.max(selection.from, selection.to)
                }
                current={item.index === current}
                showTime={showTime}
                columns={columns}
                expanded={expanded}
                search={highlighter}
                onSelect={selectRow}
                onToggleFields={toggleFields}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
