import { decodeLogFrame, LogFrameError } from '../../../shared/log-frame';
import type { LogStore } from './log-store';

/**
 * Takes binary log frames from the host into the store (in the log worker) and acknowledges each one, which
 * lets the host send more. While paused, frames wait unacknowledged, so the host holds further lines back
 * (counting them as "behind") instead of this side piling them up.
 */
export class FrameIntake {
  private streamId: string | null = null;
  private sources = new Map<string, number>();
  private paused = false;
  private waiting: ArrayBuffer[] = [];
  private readonly decoder = new TextDecoder('utf-8');
  /** Lines the host let go because the viewer fell further behind than its buffer holds. */
  lostBehind = 0;

  constructor(
    private readonly store: () => LogStore,
    private readonly ack: (streamId: string, frames: number) => void,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Starts taking frames of one stream; `keys[i]` is the part that is source i. */
  attach(streamId: string, keys: string[]): void {
    this.streamId = streamId;
    this.sources = new Map(keys.map((key, i) => [key, i]));
    this.waiting = [];
    this.lostBehind = 0;
  }

  detach(): void {
    this.streamId = null;
    this.waiting = [];
  }

  receive(buffer: ArrayBuffer): void {
    if (this.paused) this.waiting.push(buffer);
    else this.ingest(buffer);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const buffer of waiting) this.ingest(buffer);
  }

  get waitingFrames(): number {
    return this.waiting.length;
  }

  private ingest(buffer: ArrayBuffer): void {
    let frame;
    try {
      frame = decodeLogFrame(buffer);
    } catch (error) {
      return this.onError(error instanceof LogFrameError ? error.message : String(error));
    }
    if (frame.streamId !== this.streamId) return;
    const store = this.store();
    for (const batch of frame.batches) {
      const source = this.sources.get(batch.key);
      if (source === undefined) continue;
      if (batch.dropped > 0) {
        this.lostBehind += batch.dropped;
        store.mark(source, `── ${batch.dropped.toLocaleString('en-US')} lines dropped here: the viewer fell behind ──`, batch.arrivedAt);
      }
      if (batch.lines > 0) store.append(source, this.decoder.decode(batch.text), batch.arrivedAt);
    }
    this.ack(frame.streamId, 1);
  }
}
