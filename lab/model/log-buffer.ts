/** A service's in-memory log, like Talos' ~1 MiB circular buffer: old lines drop off the front. */
export class LogBuffer {
  private lines: string[] = [];
  private start = 0;
  /** How many lines were cut off the front of `lines` (so a line's position stays the same for readers). */
  private cut = 0;
  private bytes = 0;
  private readonly followers = new Set<(text: string) => void>();

  constructor(readonly capacityBytes = 1_048_576) {}

  get size(): number {
    return this.lines.length - this.start;
  }

  append(newLines: string[]): void {
    if (newLines.length === 0) return;
    let text = '';
    for (const line of newLines) {
      this.lines.push(line);
      this.bytes += line.length + 1;
      text += line + '\n';
    }
    while (this.bytes > this.capacityBytes && this.start < this.lines.length) {
      this.bytes -= (this.lines[this.start]?.length ?? 0) + 1;
      this.start++;
    }
    if (this.start > 4096 && this.start * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.start);
      this.cut += this.start;
      this.start = 0;
    }
    for (const follower of this.followers) follower(text);
  }

  /** The lines `tail` asks for: < 0 means every line; 0 means none; N means the last N. */
  tailLines(tail: number): string[] {
    const count = tail < 0 ? this.size : Math.min(tail, this.size);
    return count === 0 ? [] : this.lines.slice(this.lines.length - count);
  }

  /** The same as text, each line ended by "\n". */
  tail(tail: number): string {
    const lines = this.tailLines(tail);
    return lines.length ? lines.join('\n') + '\n' : '';
  }

  /** The position after the newest line: where a reader that wants only new lines starts. */
  get end(): number {
    return this.cut + this.lines.length;
  }

  /**
   * Lines from position `from` on, up to about `maxBytes`, as text ending in "\n", and the position after them.
   * A reader the writer has lapped starts again at the oldest line still held: the lines between are gone,
   * as in a node's ring buffer.
   */
  readFrom(from: number, maxBytes: number): { text: string; next: number } {
    let at = Math.min(Math.max(from, this.cut + this.start), this.end) - this.cut;
    let text = '';
    while (at < this.lines.length && text.length < maxBytes) text += this.lines[at++] + '\n';
    return { text, next: at + this.cut };
  }

  /** Calls `listener` with the text of every append (each line ended by "\n"). */
  follow(listener: (text: string) => void): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  get followerCount(): number {
    return this.followers.size;
  }
}
