/**
 * Collects items and hands them on at most every `intervalMs` (or at once when `maxItems` are waiting), so a
 * chatty node crosses to the renderer as a few batches per second instead of one message per line.
 */
export class Batcher<T> {
  private pending: T[] = [];
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly send: (items: T[]) => void,
    intervalMs: number,
    private readonly maxItems = Infinity,
  ) {
    this.timer = setInterval(() => this.flush(), intervalMs);
  }

  push(item: T): void {
    this.pending.push(item);
    if (this.pending.length >= this.maxItems) this.flush();
  }

  pushAll(items: T[]): void {
    for (const item of items) this.pending.push(item);
    if (this.pending.length >= this.maxItems) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.send(items);
  }

  /** Sends what is left and stops the timer. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
