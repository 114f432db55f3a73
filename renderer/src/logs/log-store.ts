import { parseLogLine, SEVERITY, type Severity } from './parse-line';
import { SlotDeque } from './slot-deque';

export const FLAG_UNTIMED = 1;
export const FLAG_MARK = 2;

export interface LogFilter {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
  /** 'filter' hides lines that do not match; 'highlight' keeps them and counts matches */
  mode: 'filter' | 'highlight';
  minSeverity: Severity;
  /** source ids to show; empty means all */
  sources: number[];
}

export const NO_FILTER: LogFilter = {
  text: '',
  regex: false,
  caseSensitive: false,
  mode: 'filter',
  minSeverity: SEVERITY.unknown,
  sources: [],
};

export interface LogRow {
  index: number;
  ts: number;
  untimed: boolean;
  mark: boolean;
  severity: Severity;
  source: number;
  text: string;
  match: boolean;
}

/**
 * A bounded, time-ordered store of log lines from many sources (the ring buffer behind the log viewer).
 * Lines live in preallocated columns; when full, the oldest line's slot is reused. The view is a deque of
 * slots ordered by (timestamp, arrival); filters keep a second deque, so scrolling never copies lines.
 */
export class LogStore {
  readonly text: string[];
  readonly ts: Float64Array;
  readonly seq: Float64Array;
  readonly flags: Uint8Array;
  readonly sev: Uint8Array;
  readonly src: Uint16Array;
  private used = 0;
  private counter = 0;
  private readonly order: SlotDeque;
  private filtered: SlotDeque | null = null;
  private matches: SlotDeque | null = null;
  private filter: LogFilter = NO_FILTER;
  private pattern: RegExp | null = null;
  private needle = '';
  dropped = 0;

  constructor(readonly capacity: number) {
    this.text = new Array<string>(capacity);
    this.ts = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.sev = new Uint8Array(capacity);
    this.src = new Uint16Array(capacity);
    this.order = new SlotDeque(capacity, this.ts, this.seq);
  }

  /** Lines ever stored, including those since dropped. */
  get received(): number {
    return this.counter;
  }

  get total(): number {
    return this.order.length;
  }

  /** Rows in the current view: filtered when a filter hides lines, else every line. */
  get viewLength(): number {
    return (this.filtered ?? this.order).length;
  }

  get matchCount(): number {
    return this.matches?.length ?? (this.filtered && this.searching() ? this.filtered.length : 0);
  }

  private searching(): boolean {
    return this.filter.text !== '';
  }

  private takeSlot(): number {
    if (this.used < this.capacity) return this.used++;
    const slot = this.order.popFront();
    if (this.filtered && this.filtered.length && this.filtered.front() === slot) this.filtered.popFront();
    if (this.matches && this.matches.length && this.matches.front() === slot) this.matches.popFront();
    this.dropped++;
    return slot;
  }

  private store(source: number, text: string, ts: number, severity: Severity, flags: number): void {
    const slot = this.takeSlot();
    this.text[slot] = text;
    this.ts[slot] = ts;
    this.seq[slot] = this.counter++;
    this.sev[slot] = severity;
    this.src[slot] = source;
    this.flags[slot] = flags;
    this.order.insert(slot);
    if (this.filtered && this.passes(slot)) this.filtered.insert(slot);
    if (this.matches && this.textMatches(slot)) this.matches.insert(slot);
  }

  /** Parses and stores lines; a line without a timestamp keeps its arrival time and is flagged. */
  append(source: number, lines: string[], arrivedAt: number): void {
    let last = arrivedAt;
    for (const raw of lines) {
      const parsed = parseLogLine(raw, arrivedAt);
      const timed = Number.isFinite(parsed.ts);
      // untimed lines sort right after the line before them from the same source
      const ts = timed ? parsed.ts : last;
      if (timed) last = parsed.ts;
      this.store(source, parsed.text, ts, parsed.severity, timed ? 0 : FLAG_UNTIMED);
    }
  }

  /** A visible marker, e.g. where a dropped stream reconnected. */
  mark(source: number, text: string, at: number): void {
    this.store(source, text, at, SEVERITY.warn, FLAG_MARK);
  }

  private textMatches(slot: number): boolean {
    const text = this.text[slot]!;
    if (this.pattern) {
      this.pattern.lastIndex = 0;
      return this.pattern.test(text);
    }
    return (this.filter.caseSensitive ? text : text.toLowerCase()).includes(this.needle);
  }

  private passes(slot: number): boolean {
    const f = this.filter;
    if (f.sources.length && !f.sources.includes(this.src[slot]!)) return false;
    const severity = this.sev[slot]!;
    if (
      f.minSeverity > SEVERITY.unknown &&
      !(this.flags[slot]! & FLAG_MARK) &&
      (severity === SEVERITY.unknown ? SEVERITY.info : severity) < f.minSeverity
    )
      return false;
    if (f.mode === 'filter' && this.searching() && !(this.flags[slot]! & FLAG_MARK) && !this.textMatches(slot)) return false;
    return true;
  }

  /** Applies a filter to everything buffered; throws on an invalid regular expression. */
  setFilter(filter: LogFilter): void {
    this.filter = filter;
    this.pattern = filter.regex && filter.text ? new RegExp(filter.text, filter.caseSensitive ? '' : 'i') : null;
    this.needle = filter.caseSensitive ? filter.text : filter.text.toLowerCase();
    const hides = filter.sources.length > 0 || filter.minSeverity > SEVERITY.unknown || (filter.mode === 'filter' && this.searching());
    const keep = new Int32Array(this.order.length);
    let kept = 0;
    const hits = new Int32Array(filter.mode === 'highlight' && this.searching() ? this.order.length : 0);
    let hit = 0;
    for (let i = 0; i < this.order.length; i++) {
      const slot = this.order.get(i);
      if (hides && !this.passes(slot)) continue;
      keep[kept++] = slot;
      if (hits.length && this.textMatches(slot)) hits[hit++] = slot;
    }
    this.filtered = hides ? new SlotDeque(this.capacity, this.ts, this.seq) : null;
    this.filtered?.assign(keep, kept);
    this.matches = hits.length ? new SlotDeque(this.capacity, this.ts, this.seq) : null;
    this.matches?.assign(hits, hit);
  }

  private view(): SlotDeque {
    return this.filtered ?? this.order;
  }

  row(index: number): LogRow {
    const slot = this.view().get(index);
    const flags = this.flags[slot]!;
    return {
      index,
      ts: this.ts[slot]!,
      untimed: (flags & FLAG_UNTIMED) !== 0,
      mark: (flags & FLAG_MARK) !== 0,
      severity: this.sev[slot]! as Severity,
      source: this.src[slot]!,
      text: this.text[slot]!,
      match: this.searching() && !(flags & FLAG_MARK) && this.textMatches(slot),
    };
  }

  rows(start: number, end: number): LogRow[] {
    const out: LogRow[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.viewLength); i++) out.push(this.row(i));
    return out;
  }

  /** The next (or previous) matching row index in the view, wrapping around; -1 when nothing matches. */
  findMatch(from: number, direction: 1 | -1): number {
    if (!this.searching()) return -1;
    const view = this.view();
    const n = view.length;
    for (let k = 1; k <= n; k++) {
      const i = (((from + direction * k) % n) + n) % n;
      const slot = view.get(i);
      if (!(this.flags[slot]! & FLAG_MARK) && this.textMatches(slot)) return i;
    }
    return -1;
  }

  /** Lines of the view (or of everything) as text chunks for a download. */
  exportText(scope: 'view' | 'all', label: (source: number) => string, chunk = 10_000): string[] {
    const view = scope === 'view' ? this.view() : this.order;
    const parts: string[] = [];
    let lines: string[] = [];
    for (let i = 0; i < view.length; i++) {
      const slot = view.get(i);
      const ts = this.flags[slot]! & FLAG_UNTIMED ? '' : new Date(this.ts[slot]!).toISOString();
      lines.push(`${ts}\t${label(this.src[slot]!)}\t${this.text[slot]}`);
      if (lines.length === chunk) {
        parts.push(lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length) parts.push(lines.join('\n') + '\n');
    return parts;
  }

  clear(): void {
    this.used = 0;
    this.order.clear();
    this.filtered?.clear();
    this.matches?.clear();
    this.text.fill('');
  }
}
