import { AppError } from '../../shared/errors';

export interface FollowOptions {
  /** Opens the stream with a tail count; resolves when the stream ends, rejects when it fails. */
  open(tailLines: number, onLines: (lines: string[]) => void, signal: AbortSignal): Promise<void>;
  onLines(lines: string[]): void;
  /** After a drop, once the stream is back: `lost` is true when lines between drop and reconnect may be missing. */
  onReconnect?(info: { lost: boolean; error: AppError }): void;
  onState?(state: 'open' | 'reconnecting' | 'ended', error: AppError | null): void;
  initialTail: number;
  signal: AbortSignal;
  /** Lines requested again after a reconnect, to find where delivery stopped. */
  overlap?: number;
  /** How long to wait for the replayed overlap before declaring a gap. */
  settleMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

const RETRYABLE = new Set(['UNAVAILABLE', 'INTERNAL', 'DEADLINE_EXCEEDED']);
const ANCHOR = 8;

/**
 * Follows a log and survives drops: it reconnects with backoff, asks for the last `overlap` lines again and
 * skips those it already delivered, so no line is delivered twice. When the replay does not reach back to
 * the last delivered line (the node rebooted, or more was written than the overlap), it reports a gap.
 */
export async function followLines(options: FollowOptions): Promise<void> {
  const overlap = options.overlap ?? 1000;
  const settleMs = options.settleMs ?? 500;
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
  const recent: string[] = [];
  let delay = backoff.initialMs;
  let lastError: AppError | null = null;

  const emit = (lines: string[]) => {
    if (lines.length === 0) return;
    recent.push(...lines);
    if (recent.length > ANCHOR * 4) recent.splice(0, recent.length - ANCHOR);
    options.onLines(lines);
  };

  while (!options.signal.aborted) {
    const reconnecting = lastError !== null;
    const anchor = recent.slice(-ANCHOR);
    let matched = !reconnecting || anchor.length === 0;
    let buffered: string[] = [];
    let settle: ReturnType<typeof setTimeout> | null = null;

    const resolveGap = (lost: boolean, fresh: string[]) => {
      matched = true;
      if (settle) clearTimeout(settle);
      buffered = [];
      if (reconnecting && lastError) options.onReconnect?.({ lost, error: lastError });
      emit(fresh);
    };
    const deliver = (lines: string[]) => {
      if (matched) {
        delay = backoff.initialMs;
        return emit(lines);
      }
      buffered.push(...lines);
      settle ??= setTimeout(() => !matched && resolveGap(true, buffered), settleMs);
      for (let i = buffered.length - anchor.length; i >= 0; i--) {
        if (anchor.every((line, k) => buffered[i + k] === line)) return resolveGap(false, buffered.slice(i + anchor.length));
      }
      if (buffered.length >= overlap + ANCHOR) resolveGap(true, buffered);
    };

    try {
      options.onState?.('open', null);
      if (reconnecting && anchor.length === 0) resolveGap(false, []);
      await options.open(reconnecting ? overlap : options.initialTail, deliver, options.signal);
      if (!matched) resolveGap(true, buffered);
      if (options.signal.aborted) break;
      options.onState?.('ended', null);
      return;
    } catch (error) {
      if (settle) clearTimeout(settle);
      if (options.signal.aborted) break;
      const e = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
      if (!RETRYABLE.has(e.code)) {
        options.onState?.('ended', e);
        throw e;
      }
      if (!matched) resolveGap(true, buffered);
      lastError = e;
      options.onState?.('reconnecting', e);
      await new Promise<void>((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, backoff.maxMs);
    }
  }
  options.onState?.('ended', null);
}
