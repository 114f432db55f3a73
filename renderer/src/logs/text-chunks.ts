/**
 * Log text kept as it arrived: one string per batch of lines (joined by "\n"), with the offset where each
 * line starts, instead of one string per line. Small batches (at most `smallBatch` lines; a follower gets a few
 * lines per frame) are merged into blocks of about `blockLines` lines once that many have arrived, so a
 * search is a few long scans rather than a hundred thousand short ones, and the per-batch arrays cost next
 * to nothing. Larger batches (a bulk load arrives in frames of thousands of lines) stay as they came:
 * copying them again costs time and memory and does not make a search faster. A chunk is released when its
 * last line leaves the store.
 */
export interface Chunk {
  text: string;
  starts: Uint32Array;
  /** The store slot holding each line, to find a line's slot from a search hit. */
  slots: Int32Array;
  count: number;
  live: number;
  /** Waiting to be merged with the small chunks that arrive after it. */
  small: boolean;
}

/** Where a merge moved a line that is still in the store. */
export type Moved = (slot: number, chunk: number, line: number) => void;

export class TextChunks {
  private readonly chunks: (Chunk | null)[] = [];
  private readonly free: number[] = [];
  /** Small chunks not merged yet, in arrival order. */
  private small: number[] = [];
  private smallLines = 0;

  constructor(
    readonly blockLines = 16_384,
    readonly smallBatch = Math.ceil(blockLines / 16),
  ) {}

  /** Where lines start while a batch is split (one pass over the text), grown as needed and reused. */
  private lineStarts = new Uint32Array(4096);

  /** Splits `text` at "\n" into a new chunk; returns its id. */
  add(text: string): number {
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (count === this.lineStarts.length) {
        const grown = new Uint32Array(count * 2);
        grown.set(this.lineStarts);
        this.lineStarts = grown;
      }
      this.lineStarts[count++] = i + 1;
    }
    const starts = this.lineStarts.slice(0, count);
    starts[0] = 0;
    return this.put({ text, starts, slots: new Int32Array(count).fill(-1), count, live: count, small: false });
  }

  private put(chunk: Chunk): number {
    const id = this.free.pop() ?? this.chunks.length;
    this.chunks[id] = chunk;
    return id;
  }

  /**
   * Called once a new chunk's lines have their slots: a small chunk joins the run waiting to be merged, and
   * a run of `blockLines` lines becomes one chunk (`moved` is told the new place of every line in the store).
   */
  settle(id: number, moved: Moved): void {
    const chunk = this.chunks[id];
    if (!chunk || chunk.count > this.smallBatch) return;
    chunk.small = true;
    this.small.push(id);
    this.smallLines += chunk.count;
    if (this.smallLines >= this.blockLines) this.mergeSmall(moved);
  }

  private mergeSmall(moved: Moved): void {
    const parts = this.small.map((id) => this.chunks[id]!);
    const count = this.smallLines;
    const text = parts.map((p) => p.text).join('\n');
    const starts = new Uint32Array(count);
    const slots = new Int32Array(count);
    let line = 0;
    let offset = 0;
    let live = 0;
    for (const p of parts) {
      for (let i = 0; i < p.count; i++, line++) {
        starts[line] = offset + p.starts[i]!;
        slots[line] = p.slots[i]!;
      }
      offset += p.text.length + 1;
      live += p.live;
    }
    for (const id of this.small) {
      this.chunks[id] = null;
      this.free.push(id);
    }
    this.small = [];
    this.smallLines = 0;
    const id = this.put({ text, starts, slots, count, live, small: false });
    for (let i = 0; i < count; i++) if (slots[i]! >= 0) moved(slots[i]!, id, i);
  }

  get(id: number): Chunk {
    return this.chunks[id]!;
  }

  /** All chunks still holding lines. */
  *all(): Iterable<Chunk> {
    for (const chunk of this.chunks) if (chunk) yield chunk;
  }

  /** The text of every chunk holding lines. */
  *texts(): Iterable<string> {
    for (const chunk of this.all()) yield chunk.text;
  }

  /** How many chunks hold lines (merging keeps this small). */
  get size(): number {
    return this.chunks.length - this.free.length;
  }

  lineStart(id: number, line: number): number {
    return this.chunks[id]!.starts[line]!;
  }

  lineEnd(id: number, line: number): number {
    const chunk = this.chunks[id]!;
    return line + 1 < chunk.count ? chunk.starts[line + 1]! - 1 : chunk.text.length;
  }

  line(id: number, line: number): string {
    return this.chunks[id]!.text.slice(this.lineStart(id, line), this.lineEnd(id, line));
  }

  /** One line of the chunk left the store; the chunk goes when none is left. */
  release(id: number): void {
    const chunk = this.chunks[id]!;
    if (--chunk.live > 0) return;
    if (chunk.small) {
      this.small.splice(this.small.indexOf(id), 1);
      this.smallLines -= chunk.count;
    }
    this.chunks[id] = null;
    this.free.push(id);
  }

  clear(): void {
    this.chunks.length = 0;
    this.free.length = 0;
    this.small = [];
    this.smallLines = 0;
  }
}
