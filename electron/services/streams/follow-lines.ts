import type { AppError } from '../../../shared/errors';
import { keepOpen, type Backoff, type StreamState } from './reconnect';

export interface FollowOptions {
  /** Opens the stream with a tail count; resolves when the stream ends, rejects when it fails. */
  open(tailLines: number, onLines: (lines: string[]) => void, signal: AbortSignal): Promise<void>;
  onLines(lines: string[]): void;
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
export function followLines(options: FollowOptions): Promise<void> {
  const overlap = options.overlap ?? 1000;
  const settleMs = options.settleMs ?? 2000;
  const recent: string[] = [];

  const emit = (lines: string[]) => {
    if (lines.length === 0) return;
    recent.push(...lines);
    if (recent.length > ANCHOR * 4) recent.splice(0, recent.length - ANCHOR);
    options.onLines(lines);
  };

  return keepOpen({
    signal: options.signal,
    backoff: options.backoff,
    onState: options.onState,
    attempt: async ({ lastError, healthy }) => {
      const anchor = recent.slice(-ANCHOR);
      let matched = lastError === null || anchor.length === 0;
      let buffered: string[] = [];
      let settle: ReturnType<typeof setTimeout> | null = null;

      const resolveGap = (lost: boolean, fresh: string[]) => {
        matched = true;
        if (settle) clearTimeout(settle);
        buffered = [];
        if (lastError) options.onReconnect?.({ lost, error: lastError });
        emit(fresh);
      };
      const deliver = (lines: string[]) => {
        if (matched) {
          healthy();
          return emit(lines);
        }
        buffered.push(...lines);
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
