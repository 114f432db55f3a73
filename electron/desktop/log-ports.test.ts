import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LogPorts } from './log-ports';

class FakePort extends EventEmitter {
  sent: unknown[] = [];
  started = false;
  closed = false;
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  start() {
    this.started = true;
  }
  close() {
    this.closed = true;
    this.emit('close');
  }
}

describe('LogPorts (desktop log frames)', () => {
  it('sends a stream’s frames through its port, and holds them (false) until one is attached', () => {
    const ports = new LogPorts(() => undefined);
    const frame = new ArrayBuffer(4);
    expect(ports.send('stream-0001', frame)).toBe(false);
    const port = new FakePort();
    ports.attach('stream-0001', port as never);
    expect(port.started).toBe(true);
    expect(ports.send('stream-0001', frame)).toBe(true);
    expect(port.sent).toEqual([frame]);
  });

  it('replaces a stream’s port, forgets closed ones and refuses a malformed stream id', () => {
    const ports = new LogPorts(() => undefined);
    const first = new FakePort();
    const second = new FakePort();
    ports.attach('stream-0001', first as never);
    ports.attach('stream-0001', second as never);
    expect(first.closed).toBe(true);
    expect(ports.send('stream-0001', new ArrayBuffer(1))).toBe(true);
    second.close();
    expect(ports.send('stream-0001', new ArrayBuffer(1))).toBe(false);
    const bad = new FakePort();
    ports.attach('../../x', bad as never);
    expect(bad.closed).toBe(true);
    const third = new FakePort();
    ports.attach('stream-0002', third as never);
    ports.close('stream-0002');
    expect(third.closed).toBe(true);
  });

  it('takes the worker’s acknowledgements from the port, and closes a port that sends anything else', () => {
    const acks: [string, number][] = [];
    const ports = new LogPorts((streamId, frames) => acks.push([streamId, frames]));
    const port = new FakePort();
    ports.attach('stream-0001', port as never);
    port.emit('message', { data: { ack: 1 }, ports: [] });
    port.emit('message', { data: { ack: 3 }, ports: [] });
    expect(acks).toEqual([
      ['stream-0001', 1],
      ['stream-0001', 3],
    ]);
    for (const data of [{ ack: 0 }, { ack: 1.5 }, { ack: 1001 }, { ack: '2' }, { ack: 1, more: 1 }, 'ack', null, new ArrayBuffer(2)]) {
      const other = new FakePort();
      ports.attach('stream-0002', other as never);
      other.emit('message', { data, ports: [] });
      expect(other.closed).toBe(true);
      expect(ports.send('stream-0002', new ArrayBuffer(1))).toBe(false);
    }
    expect(acks).toHaveLength(2);
    expect(port.closed).toBe(false);
  });
});
