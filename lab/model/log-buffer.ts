/** A service's in-memory log, like Talos' ~1 MiB circular buffer: old lines drop off the front. */
export class LogBuffer {
  private lines: string[] = [];
  private start = 0;
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

  follow(listener: (text: string) => void): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  get followerCount(): number {
    return this.followers.size;
  }
}
