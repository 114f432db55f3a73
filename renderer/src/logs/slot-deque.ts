/**
 * A deque of slot numbers kept in timestamp order; among equal timestamps, in insertion order (a new slot
 * goes after every slot with the same time). Inserting near the end is cheap, as logs mostly arrive in order.
 */
export class SlotDeque {
  private buf: Int32Array;
  private start = 0;
  private end = 0;

  constructor(
    capacity: number,
    private readonly ts: Float64Array,
  ) {
    this.buf = new Int32Array(Math.max(16, capacity + (capacity >> 2)));
  }

  /** A deque over `slots` (already in order), using the array itself as its buffer. */
  static adopt(slots: Int32Array, count: number, ts: Float64Array): SlotDeque {
    const deque = new SlotDeque(0, ts);
    deque.buf = slots.length ? slots : deque.buf;
    deque.end = count;
    return deque;
  }

  get length(): number {
    return this.end - this.start;
  }

  /** The slots in order, as a view of the deque's buffer (valid until the next change). */
  slots(): Int32Array {
    return this.buf.subarray(this.start, this.end);
  }

  get(i: number): number {
    return this.buf[this.start + i]!;
  }

  front(): number {
    return this.buf[this.start]!;
  }

  popFront(): number {
    return this.buf[this.start++]!;
  }

  clear(): void {
    this.start = this.end = 0;
  }

  /** Index of the first element later than `time`. */
  upperBound(time: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[this.get(mid)]! <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(slot: number): void {
    if (this.end === this.buf.length) this.compact();
    const time = this.ts[slot]!;
    if (this.length === 0 || time >= this.ts[this.buf[this.end - 1]!]!) {
      this.buf[this.end++] = slot;
      return;
    }
    const at = this.start + this.upperBound(time);
    this.buf.copyWithin(at + 1, at, this.end);
    this.buf[at] = slot;
    this.end++;
  }

  private compact(): void {
    const length = this.length;
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      const bigger = new Int32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.start = 0;
    this.end = length;
  }
}
