import { bytes, exactBytes } from '../lib/format';
import { ago, exactTime } from '../lib/time';
import { useNow } from '../lib/use-now';

/** A human size (1.5 MiB) with the exact byte count on hover. */
export function Size({ value }: { value: number }) {
  return (
    <span title={exactBytes(value)} data-bytes={value}>
      {bytes(value)}
    </span>
  );
}

/** A relative time ("3m ago") with the exact time on hover; it moves on as time passes. */
export function Ago({ at }: { at: string | number }) {
  const now = useNow();
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={date.toISOString()} title={exactTime(at)}>
      {ago(at, now)}
    </time>
  );
}
