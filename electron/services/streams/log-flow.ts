import { encodeLogFrame, type LogBatchInput } from '../../../shared/log-frame';
import type { LineBytesChunk } from '../../talos/line-bytes';

export interface LogFlowOptions {
  streamId: string;
  /** The viewer's buffer: lines held here beyond it would be evicted on arrival anyway. */
  capLines: number;
  /** Frames sent and not yet acknowledged by the viewer before the host holds lines back. */
  window?: number;
  /** A frame grows to about this size when lines have piled up. */
  maxFrameBytes?: number;
  /**
   * While frames are still in flight, an acknowledgement sends held lines only once this many bytes are
   * held (else the timer does): a fast viewer then gets a few large frames rather than one per wire chunk,
   * and a bulk load arrives in batches large enough for the viewer to keep as they are (no second copy).
   */
  coalesceBytes?: number;
  /** Hands a frame on; false when it cannot go yet (nowhere to send it), and the lines stay held. */
  send(frame: ArrayBuffer): boolean;
  /** Whether to send at all (false once the stream is closed). */
  canSend?(): boolean;
  /** Lines the viewer has not taken in yet (held here or in flight); called when it changes. */
  onBehind?(behind: number): void;
  now?: () => number;
}

interface Held {
  key: string;
  chunk: LineBytesChunk;
  arrivedAt: number;
}

const NL = 0x0a;

/**
 * End-to-end back-pressure for one log stream. Lines are held per part as the bytes that came off the wire;
 * `flush` sends them as binary frames while fewer than `window` frames await the viewer's acknowledgement.
 * When the viewer falls behind, lines pile up here and go out coalesced into large frames; `behind` says
 * how many lines the viewer lacks. Nothing is dropped while that fits the viewer's buffer; beyond it the
 * oldest held lines go, and the next batch of their part carries how many, so the viewer can mark the place.
 */
export class LogFlow {
  private held: Held[] = [];
  private heldLines = 0;
  private heldBytes = 0;
  private readonly inFlight: number[] = [];
  private inFlightLines = 0;
  private readonly droppedBy = new Map<string, number>();
  private lastBehind = 0;
  droppedTotal = 0;
  framesSent = 0;

  constructor(private readonly o: LogFlowOptions) {}

  get behind(): number {
    return this.heldLines + this.inFlightLines;
  }

  push(key: string, chunk: LineBytesChunk): void {
    if (chunk.lines === 0) return;
    this.held.push({ key, chunk, arrivedAt: (this.o.now ?? Date.now)() });
    this.heldLines += chunk.lines;
    this.heldBytes += chunk.bytes.length;
    this.dropBeyondCap();
    if (this.heldBytes >= this.maxFrameBytes) this.flush();
  }

  private get maxFrameBytes(): number {
    return this.o.maxFrameBytes ?? 4 * 1024 * 1024;
  }

  /** The viewer took in `frames` more frames. */
  ack(frames: number): void {
    for (let i = 0; i < frames && this.inFlight.length; i++) this.inFlightLines -= this.inFlight.shift()!;
    if (this.inFlight.length === 0 || this.heldBytes >= (this.o.coalesceBytes ?? 2 * 1024 * 1024)) this.flush();
    else this.report();
  }

  /** Sends held lines, as far as the window allows. */
  flush(): void {
    const window = this.o.window ?? 4;
    const maxBytes = this.maxFrameBytes;
    while (this.held.length && this.inFlight.length < window && (this.o.canSend?.() ?? true)) {
      let bytes = 0;
      let take = 0;
      while (take < this.held.length && (take === 0 || bytes + this.held[take]!.chunk.bytes.length <= maxBytes))
        bytes += this.held[take++]!.chunk.bytes.length;
      const { frame, lines } = this.frame(this.held.slice(0, take));
      if (!this.o.send(frame)) break;
      this.held.splice(0, take);
      this.heldBytes -= bytes;
      this.droppedBy.clear();
      this.framesSent++;
      this.heldLines -= lines;
      this.inFlight.push(lines);
      this.inFlightLines += lines;
    }
    this.report();
  }

  /**
   * One frame with one batch per part, its chunks in arrival order (copied once, straight into the frame);
   * parts that only lost lines say so.
   */
  private frame(held: Held[]): { frame: ArrayBuffer; lines: number } {
    const byKey = new Map<string, Held[]>();
    for (const h of held) {
      const parts = byKey.get(h.key);
      if (parts) parts.push(h);
      else byKey.set(h.key, [h]);
    }
    const batches: LogBatchInput[] = [];
    let total = 0;
    for (const [key, parts] of byKey) {
      const text = parts.map((p) => p.chunk.bytes);
      const last = text[text.length - 1]!;
      text[text.length - 1] = last.subarray(0, last.length - 1); // the batch's text has no final "\n"
      const lines = parts.reduce((n, p) => n + p.chunk.lines, 0);
      const dropped = this.droppedBy.get(key) ?? 0;
      batches.push({ key, arrivedAt: parts[0]!.arrivedAt, lines, dropped, text });
      total += lines;
    }
    const now = (this.o.now ?? Date.now)();
    for (const [key, dropped] of this.droppedBy)
      if (!byKey.has(key)) batches.push({ key, arrivedAt: now, lines: 0, dropped, text: new Uint8Array(0) });
    return { frame: encodeLogFrame({ streamId: this.o.streamId, batches }), lines: total };
  }

  /** Lets the oldest held lines go while more are held than the viewer's buffer keeps. */
  private dropBeyondCap(): void {
    let excess = this.heldLines - this.o.capLines;
    while (excess > 0 && this.held.length) {
      const oldest = this.held[0]!;
      const gone = Math.min(excess, oldest.chunk.lines);
      const rest = gone === oldest.chunk.lines ? null : skipLines(oldest.chunk, gone);
      this.heldBytes -= oldest.chunk.bytes.length - (rest?.bytes.length ?? 0);
      if (rest) oldest.chunk = rest;
      else this.held.shift();
      this.droppedBy.set(oldest.key, (this.droppedBy.get(oldest.key) ?? 0) + gone);
      this.droppedTotal += gone;
      this.heldLines -= gone;
      excess -= gone;
    }
  }

  private report(): void {
    if (this.behind === this.lastBehind) return;
    this.lastBehind = this.behind;
    this.o.onBehind?.(this.behind);
  }
}

function skipLines(chunk: LineBytesChunk, count: number): LineBytesChunk {
  let at = 0;
  for (let i = 0; i < count; i++) at = chunk.bytes.indexOf(NL, at) + 1;
  return { bytes: chunk.bytes.subarray(at), lines: chunk.lines - count };
}
