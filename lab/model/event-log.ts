import type { Rng } from '../rng';

export interface StoredEvent {
  id: string;
  actorId: string;
  typeUrl: string;
  value: Uint8Array;
  ts: number;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

/** Time-ordered 20-character base32hex ids, shaped like the xids Talos uses. */
export function makeXid(ts: number, counter: number, rng: Rng): string {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(ts / 1000) >>> 0, 0);
  for (let i = 4; i < 9; i++) bytes[i] = rng.int(0, 255);
  bytes.writeUIntBE(counter & 0xffffff, 9, 3);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.slice(0, 20);
}

/** A node's machine events: history for tails, plus live subscribers. */
export class EventLog {
  private readonly events: StoredEvent[] = [];
  private readonly subscribers = new Set<(event: StoredEvent) => void>();
  private counter = 0;

  constructor(
    private readonly rng: Rng,
    private readonly now: () => number,
    private readonly capacity = 1000,
  ) {}

  publish(typeName: string, value: Uint8Array, actorId = '', ts = this.now()): StoredEvent {
    const event = { id: makeXid(ts, ++this.counter, this.rng), actorId, typeUrl: `talos/runtime/machine.${typeName}`, value, ts };
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
    for (const subscriber of this.subscribers) subscriber(event);
    return event;
  }

  /** Records an event that happened in the past (a staged history), in time order, without waking followers. */
  backfill(typeName: string, value: Uint8Array, actorId: string, ts: number): StoredEvent {
    const event = { id: makeXid(ts, ++this.counter, this.rng), actorId, typeUrl: `talos/runtime/machine.${typeName}`, value, ts };
    let at = this.events.length;
    while (at > 0 && this.events[at - 1]!.ts > ts) at--;
    this.events.splice(at, 0, event);
    if (this.events.length > this.capacity) this.events.shift();
    return event;
  }

  /** History per EventsRequest: tail_events (-1 all, N last N, 0 none), tail_id, tail_seconds. */
  history(request: { tailEvents: number; tailId: string; tailSeconds: number }): StoredEvent[] {
    if (request.tailId) {
      const at = this.events.findIndex((e) => e.id === request.tailId);
      return at < 0 ? [] : this.events.slice(at + 1);
    }
    if (request.tailSeconds > 0) {
      const since = this.now() - request.tailSeconds * 1000;
      return this.events.filter((e) => e.ts >= since);
    }
    if (request.tailEvents < 0) return [...this.events];
    return request.tailEvents === 0 ? [] : this.events.slice(-request.tailEvents);
  }

  /** Orders back-dated history (written at boot) by time and gives it time-ordered ids. */
  sortByTime(): void {
    this.events.sort((a, b) => a.ts - b.ts);
    this.counter = 0;
    for (const event of this.events) event.id = makeXid(event.ts, ++this.counter, this.rng);
  }

  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }
}
