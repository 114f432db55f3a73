/**
 * Log text kept as it arrived: one string per batch of lines (joined by "\n"), with the offset where each
 * line starts, instead of one string per line. A chunk is released when its last line leaves the store.
 */
export interface Chunk {
  text: string;
  starts: Uint32Array;
  /** The store slot holding each line, to find a line's slot from a search hit. */
  slots: Int32Array;
  count: number;
  live: number;
}

export class TextChunks {
  private readonly chunks: (Chunk | null)[] = [];
  private readonly free: number[] = [];

  /** Splits `text` at "\n" into a new chunk; returns its id. */
  add(text: string): number {
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Uint32Array(count);
    for (let line = 1, i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
    const chunk: Chunk = { text, starts, slots: new Int32Array(count).fill(-1), count, live: count };
    const id = this.free.pop() ?? this.chunks.length;
    this.chunks[id] = chunk;
    return id;
  }

  get(id: number): Chunk {
    return this.chunks[id]!;
  }

  /** All chunks still holding lines. */
  *all(): Iterable<Chunk> {
    for (const chunk of this.chunks) if (chunk) yield chunk;
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
    this.chunks[id] = null;
    this.free.push(id);
  }

  clear(): void {
    this.chunks.length = 0;
    this.free.length = 0;
  }
}
