import type { Timestamp } from './gen/google/protobuf/timestamp';

/** google.protobuf.Timestamp from milliseconds since the epoch (seconds travel as a string: forceLong). */
export function toTimestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Milliseconds since the epoch, or null for an absent or zero timestamp. */
export function timestampMs(ts: Timestamp | undefined): number | null {
  if (!ts) return null;
  const ms = Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
  return ms > 0 ? ms : null;
}
