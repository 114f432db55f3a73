import { compileMatcher, type LineMatcher } from './line-matcher';
import { parseChunk } from './parse-chunk';
import { tuningText } from './regexp-tuning';
import { SEVERITY, stripAnsi, type Severity } from './parse-line';
import { SlotDeque } from './slot-deque';
import { TextChunks } from './text-chunks';

export const FLAG_UNTIMED = 1;
export const FLAG_MARK = 2;
/** Set on lines the current search matches (kept per slot, so showing and walking matches never re-runs it). */
const FLAG_HIT = 4;

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
 * Text stays in the blocks it arrived in (one string per batch, see TextChunks); per line the store keeps
 * only numbers in preallocated columns, about 30 bytes. When full, the oldest line's slot is reused. The
 * view is a deque of slots in time order; a filter keeps a second deque, so scrolling never copies lines.
 * Searches scan whole blocks at once (see LineMatcher).
 */
export class LogStore {
  private readonly chunks: TextChunks;
  readonly ts: Float64Array;
  private readonly chunkOf: Int32Array;
  private readonly lineOf: Uint32Array;
  readonly flags: Uint8Array;
  readonly sev: Uint8Array;
  readonly src: Uint16Array;
  private used = 0;
  private counter = 0;
  private readonly order: SlotDeque;
  private filtered: SlotDeque | null = null;
  private matches: SlotDeque | null = null;
  private filter: LogFilter = NO_FILTER;
  private matcher: LineMatcher | null = null;
  dropped = 0;

  /** `blockLines`, `smallBatch`: how small batches are merged into text blocks (see TextChunks). */
  constructor(
    readonly capacity: number,
    blockLines?: number,
    smallBatch?: number,
  ) {
    this.chunks = new TextChunks(blockLines, smallBatch);
    this.ts = new Float64Array(capacity);
    this.chunkOf = new Int32Array(capacity).fill(-1);
    this.lineOf = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.sev = new Uint8Array(capacity);
    this.src = new Uint16Array(capacity);
    this.order = new SlotDeque(capacity, this.ts);
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
    const chunk = this.chunkOf[slot]!;
    this.chunks.get(chunk).slots[this.lineOf[slot]!] = -1;
    this.chunks.release(chunk);
    this.chunkOf[slot] = -1;
    this.dropped++;
    return slot;
  }

  private place(slot: number): void {
    this.order.insert(slot);
    if (this.filtered && this.passes(slot)) this.filtered.insert(slot);
    if (this.matches && this.flags[slot]! & FLAG_HIT) this.matches.insert(slot);
  }

  /**
   * Stores a batch of lines joined by "\n" from one source. A line without a timestamp sorts right after
   * the line before it from the same batch (the first one, at arrival time) and is flagged.
   */
  append(source: number, text: string, arrivedAt: number): void {
    const id = this.chunks.add(stripAnsi(text));
    const chunk = this.chunks.get(id);
    const parsed = parseChunk(chunk.text, chunk.starts, chunk.count, arrivedAt);
    const hits = this.matcher ? this.hitsIn(chunk.text, chunk.starts, chunk.count) : null;
    // A batch larger than the store keeps only its newest lines.
    const skip = Math.max(0, chunk.count - this.capacity);
    let last = arrivedAt;
    for (let i = 0; i < chunk.count; i++) {
      const time = parsed.ts[i]!;
      const timed = !Number.isNaN(time);
      const ts = timed ? time : last;
      if (timed) last = time;
      if (i < skip) {
        this.counter++;
        this.dropped++;
        chunk.slots[i] = -1;
        if (--chunk.live === 0) this.chunks.release(id);
        continue;
      }
      const slot = this.takeSlot();
      this.chunkOf[slot] = id;
      this.lineOf[slot] = i;
      chunk.slots[i] = slot;
      this.ts[slot] = ts;
      this.sev[slot] = parsed.severity[i]!;
      this.src[slot] = source;
      this.flags[slot] = (timed ? 0 : FLAG_UNTIMED) | (hits?.[i] ? FLAG_HIT : 0);
      this.counter++;
      this.place(slot);
    }
    this.chunks.settle(id, this.moved);
  }

  /** A merge of small text chunks moved a line: keep its slot pointing at it. */
  private readonly moved = (slot: number, chunk: number, line: number): void => {
    this.chunkOf[slot] = chunk;
    this.lineOf[slot] = line;
  };

  /** A visible marker, e.g. where a dropped stream reconnected. */
  mark(source: number, text: string, at: number): void {
    const id = this.chunks.add(text.replace(/\n/g, ' '));
    const slot = this.takeSlot();
    this.chunkOf[slot] = id;
    this.lineOf[slot] = 0;
    this.chunks.get(id).slots[0] = slot;
    this.ts[slot] = at;
    this.sev[slot] = SEVERITY.warn;
    this.src[slot] = source;
    this.flags[slot] = FLAG_MARK;
    this.counter++;
    this.place(slot);
    this.chunks.settle(id, this.moved);
  }

  private hitsIn(text: string, starts: Uint32Array, count: number): Uint8Array {
    const hits = new Uint8Array(count);
    this.matcher!.scan(text, starts, count, (line) => (hits[line] = 1));
    return hits;
  }

  private textOf(slot: number): string {
    return this.chunks.line(this.chunkOf[slot]!, this.lineOf[slot]!);
  }

  private isHit(slot: number): boolean {
    return (this.flags[slot]! & (FLAG_HIT | FLAG_MARK)) === FLAG_HIT;
  }

  private passes(slot: number): boolean {
    return this.visible(slot);
  }

  /** Whether the current filter shows a line; rebuilt per filter so the check over a million lines stays tight. */
  private visible: (slot: number) => boolean = () => true;

  private static predicate(store: LogStore, f: LogFilter, searching: boolean): (slot: number) => boolean {
    const { flags, sev, src } = store;
    const sources = f.sources.length ? new Set(f.sources) : null;
    const min = f.minSeverity;
    const needHit = f.mode === 'filter' && searching;
    return (slot) => {
      const fl = flags[slot]!;
      if (fl & FLAG_MARK) return sources === null || sources.has(src[slot]!);
      if (sources && !sources.has(src[slot]!)) return false;
      if (min > SEVERITY.unknown) {
        const severity = sev[slot]!;
        if ((severity === SEVERITY.unknown ? SEVERITY.info : severity) < min) return false;
      }
      return !needHit || (fl & FLAG_HIT) !== 0;
    };
  }

  /** Applies a filter to everything buffered; throws on an invalid regular expression. */
  setFilter(filter: LogFilter): void {
    const matcher = filter.text ? compileMatcher(filter.text, filter.regex, filter.caseSensitive, tuningText(this.chunks.texts())) : null;
    const hadSearch = this.matcher !== null;
    this.filter = filter;
    this.matcher = matcher;
    const flags = this.flags;
    if (hadSearch) for (let slot = 0; slot < this.used; slot++) flags[slot]! &= ~FLAG_HIT;
    if (matcher) {
      for (const chunk of this.chunks.all()) {
        const slots = chunk.slots;
        matcher.scan(chunk.text, chunk.starts, chunk.count, (line) => {
          const slot = slots[line]!;
          if (slot >= 0) flags[slot]! |= FLAG_HIT;
        });
      }
    }
    const searching = this.searching();
    const hides = filter.sources.length > 0 || filter.minSeverity > SEVERITY.unknown || (filter.mode === 'filter' && searching);
    const highlight = filter.mode === 'highlight' && searching;
    const visible = LogStore.predicate(this, filter, searching);
    this.visible = visible;
    const ordered = this.order.slots();
    const n = ordered.length;
    const keep = hides ? new Int32Array(n) : null;
    const hits = highlight ? new Int32Array(n) : null;
    let kept = 0;
    let hit = 0;
    const onlySearch = keep && !hits && filter.sources.length === 0 && filter.minSeverity <= SEVERITY.unknown;
    if (onlySearch) {
      // The common case, a search and nothing else: one tight pass over the flags (a mark always shows).
      for (let i = 0; i < n; i++) {
        const slot = ordered[i]!;
        if ((flags[slot]! & (FLAG_HIT | FLAG_MARK)) !== 0) keep[kept++] = slot;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const slot = ordered[i]!;
        if (keep) {
          if (!visible(slot)) continue;
          keep[kept++] = slot;
        }
        if (hits && (flags[slot]! & (FLAG_HIT | FLAG_MARK)) === FLAG_HIT) hits[hit++] = slot;
      }
    }
    this.filtered = keep ? SlotDeque.adopt(keep, kept, this.ts) : null;
    this.matches = hits ? SlotDeque.adopt(hits, hit, this.ts) : null;
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
      text: this.textOf(slot),
      match: this.searching() && this.isHit(slot),
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
      if (this.isHit(view.get(i))) return i;
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
      lines.push(`${ts}\t${label(this.src[slot]!)}\t${this.textOf(slot)}`);
      if (lines.length === chunk) {
        parts.push(lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length) parts.push(lines.join('\n') + '\n');
    return parts;
  }

  /** Empties the store, counters included (a new session starts from zero). */
  clear(): void {
    this.used = 0;
    this.counter = 0;
    this.dropped = 0;
    this.order.clear();
    this.filtered?.clear();
    this.matches?.clear();
    this.chunks.clear();
    this.chunkOf.fill(-1);
  }
}
