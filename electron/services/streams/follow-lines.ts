import type { AppError } from '../../../shared/errors';
import { keepOpen, type Backoff, type StreamState } from './reconnect';

/**
 * What a follower needs to know of a batch of lines: an array of strings (kernel records), or whole lines as
 * the bytes that came off the wire (logs, which the host passes on without decoding). Lines are decoded only
 * after a reconnect, to find where the replay catches up.
 */
export interface LineCodec<C> {
  count(chunk: C): number;
  decode(chunk: C): string[];
  encode(lines: string[]): C;
}

export const STRING_LINES: LineCodec<string[]> = { count: (c) => c.length, decode: (c) => c, encode: (lines) => lines };

export interface FollowOptions<C = string[]> {
  /** Opens the stream with a tail count; resolves when the stream ends, rejects when it fails. */
  open(tailLines: number, onLines: (lines: C) => void, signal: AbortSignal): Promise<void>;
  onLines(lines: C): void;
  /** How to count and decode `C`; string arrays when omitted. */
  codec?: LineCodec<C>;
  /** After a drop, once the stream is back: `lost` is true when lines between drop and reconnect may be missing. */
  onReconnect?(info: { lost: boolean; error: AppError }): void;
  onState?(state: StreamState, error: AppError | null): void;
  initialTail: number;
  signal: AbortSignal;
  /** Lines requested again after a reconnect, to find where delivery stopped. */
  overlap?: number;
  /**
   * How long to wait for the replayed overlap before declaring a gap. Generous, since a loaded machine can
   * take a while to replay a thousand lines, and declaring a gap too early repeats lines.
   */
  settleMs?: number;
  backoff?: Backoff;
}

const ANCHOR = 8;

/**
 * Follows a log (or the kernel ring) and survives drops with the common reconnect policy: after a drop it asks
 * for the last `overlap` lines again and skips those it already delivered, so no line is delivered twice.
 * When the replay does not reach back to the last delivered line (the node rebooted, or more was written
 * than the overlap), it reports a gap.
 */
export function followLines<C = string[]>(options: FollowOptions<C>): Promise<void> {
  const overlap = options.overlap ?? 1000;
  const settleMs = options.settleMs ?? 2000;
  const codec = options.codec ?? (STRING_LINES as unknown as LineCodec<C>);
  // The last batches delivered, enough to hold the anchor; decoded only after a drop.
  const recent: C[] = [];
  let recentLines = 0;

  const emit = (chunk: C) => {
    const count = codec.count(chunk);
    if (count === 0) return;
    recent.push(chunk);
    recentLines += count;
    while (recent.length > 1 && recentLines - codec.count(recent[0]!) >= ANCHOR) recentLines -= codec.count(recent.shift()!);
    options.onLines(chunk);
  };

  return keepOpen({
    signal: options.signal,
    backoff: options.backoff,
    onState: options.onState,
    attempt: async ({ lastError, healthy }) => {
      const anchor = lastError ? recent.flatMap((c) => codec.decode(c)).slice(-ANCHOR) : [];
      let matched = lastError === null || anchor.length === 0;
      let buffered: string[] = [];
      let settle: ReturnType<typeof setTimeout> | null = null;

      const resolveGap = (lost: boolean, fresh: string[]) => {
        matched = true;
        if (settle) clearTimeout(settle);
        buffered = [];
        if (lastError) options.onReconnect?.({ lost, error: lastError });
        if (fresh.length) emit(codec.encode(fresh));
      };
      const deliver = (chunk: C) => {
        if (matched) {
          healthy();
          return emit(chunk);
        }
        buffered.push(...codec.decode(chunk));
        settle ??= setTimeout(() => !matched && resolveGap(true, buffered), settleMs);
        for (let i = buffered.length - anchor.length; i >= 0; i--) {
          if (anchor.every((line, k) => buffered[i + k] === line)) return resolveGap(false, buffered.slice(i + anchor.length));
        }
        if (buffered.length >= overlap + ANCHOR) resolveGap(true, buffered);
      };

      if (lastError && anchor.length === 0) resolveGap(false, []);
      try {
        await options.open(lastError ? overlap : options.initialTail, deliver, options.signal);
      } finally {
        if (settle) clearTimeout(settle);
        if (!matched && !options.signal.aborted) resolveGap(true, buffered);
      }
    },
  });
}
