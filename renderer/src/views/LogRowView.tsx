import { memo } from 'react';
import { LogLine } from '../components/LogLine';
import type { LogFilter, LogRow } from '../logs/log-store';
import { SEVERITY_NAMES } from '../logs/parse-line';

const ROW = 20;

function time(row: LogRow): string {
  if (row.untimed) return 'no timestamp';
  const d = new Date(row.ts);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('T', ' ').replace('Z', '');
}

/** The search as a global expression for marking matches in the text; null without a search or when it is invalid. */
export function searchHighlighter(filter: LogFilter): RegExp | null {
  if (!filter.text) return null;
  try {
    return new RegExp(filter.regex ? filter.text : filter.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), filter.caseSensitive ? 'g' : 'gi');
  } catch {
    return null;
  }
}

export interface LogRowProps {
  index: number;
  start: number;
  /** Undefined until the worker has sent the row. */
  row: LogRow | undefined;
  source: { label: string; color: string } | undefined;
  /** Identifies the line for its opened fields. */
  lineKey: string;
  /** Wrapped or opened: as tall as its content (and measured). */
  tall: boolean;
  measure: ((el: Element | null) => void) | undefined;
  selected: boolean;
  current: boolean;
  showTime: boolean;
  columns: boolean;
  expanded: boolean | undefined;
  search: RegExp | null;
  onSelect(index: number, extend: boolean): void;
  onToggleFields(lineKey: string, open: boolean): void;
}

const sameRow = (a: LogRow | undefined, b: LogRow | undefined) =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.text === b.text &&
    a.ts === b.ts &&
    a.source === b.source &&
    a.severity === b.severity &&
    a.mark === b.mark &&
    a.match === b.match &&
    a.untimed === b.untimed);

/**
 * One line of the log view. Rows arrive from the worker as new objects on every update while lines stream
 * in; a row whose line and display did not change is not rendered again (a line's JSON is parsed into
 * columns once, not 60 times a second).
 */
export const LogRowView = memo(
  function LogRowView({
    index,
    start,
    row,
    source,
    lineKey,
    tall,
    measure,
    selected,
    current,
    showTime,
    columns,
    expanded,
    search,
    onSelect,
    onToggleFields,
  }: LogRowProps) {
    return (
      <div
        data-index={index}
        ref={measure}
        className={`log-row sev-${row ? SEVERITY_NAMES[row.severity] : 'unknown'}${row?.mark ? ' log-mark' : ''}${selected ? ' selected' : ''}${current ? ' current' : ''}`}
        style={{
          position: 'absolute',
          top: 0,
          left: 0,
          right: 0,
          transform: `translateY(${start}px)`,
          height: tall ? undefined : ROW,
          whiteSpace: tall ? 'pre-wrap' : 'pre',
        }}
        onClick={(e) => onSelect(index, e.shiftKey)}
      >
        {row && (
          <>
            {showTime && <span className={row.untimed ? 'log-time untimed' : 'log-time'}>{time(row)}</span>}
            <span className="log-source" style={{ color: source?.color }}>
              {source?.label ?? row.source}
            </span>
            <LogLine
              text={row.text}
              severity={row.severity}
              search={search}
              columns={columns && !row.mark}
              expanded={expanded}
              onToggleFields={(open) => onToggleFields(lineKey, open)}
            />
          </>
        )}
      </div>
    );
  },
  (a, b) =>
    sameRow(a.row, b.row) &&
    a.index === b.index &&
    a.start === b.start &&
    a.source === b.source &&
    a.lineKey === b.lineKey &&
    a.tall === b.tall &&
    a.measure === b.measure &&
    a.selected === b.selected &&
    a.current === b.current &&
    a.showTime === b.showTime &&
    a.columns === b.columns &&
    a.expanded === b.expanded &&
    a.search === b.search &&
    a.onSelect === b.onSelect &&
    a.onToggleFields === b.onToggleFields,
);
