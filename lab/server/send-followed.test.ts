import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../model/log-buffer';
import { sendFollowed } from './handler-kit';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A gRPC client as a stream handler sees it: `drained` resolves when it took what was sent, or the call ended. */
function client(taking: boolean, signal: AbortSignal) {
  const sent: string[] = [];
  let release: () => void = () => undefined;
  const waits: number[] = [];
  return {
    sent,
    waits,
    send: (bytes: Buffer) => (sent.push(bytes.toString()), taking),
    drained: () =>
      new Promise<void>((resolve) => {
        waits.push(sent.length);
        release = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    release: () => release(),
  };
}

describe('sendFollowed', () => {
  it('sends new lines in 1 KiB chunks, and the rest once it has caught up', async () => {
    const log = new LogBuffer(1 << 20);
    log.append(['before']);
    const abort = new AbortController();
    const c = client(true, abort.signal);
    const done = sendFollowed(log, log.end, c.send, c.drained, abort.signal);
    log.append(Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(20)}`));
    await sleep(120);
    abort.abort();
    await done;
    expect(c.sent.slice(0, -1).every((chunk) => Buffer.byteLength(chunk) === 1024)).toBe(true);
    expect(c.sent.join('').split('\n').slice(0, -1)).toEqual(Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(20)}`));
  });

  it('waits for a client that stopped taking lines, even when they come a few at a time', async () => {
    const log = new LogBuffer(1 << 20);
    const abort = new AbortController();
    const c = client(false, abort.signal);
    const done = sendFollowed(log, log.end, c.send, c.drained, abort.signal);
    log.append(['one short line']);
    await sleep(80);
    for (let i = 0; i < 5; i++) {
      log.append([`trickle ${i}`]);
      await sleep(60);
    }
    expect(c.sent).toEqual(['one short line\n']);
    expect(c.waits).toEqual([1]);
    c.release();
    await sleep(120);
    expect(c.sent.join('')).toBe('one short line\n' + [0, 1, 2, 3, 4].map((i) => `trickle ${i}\n`).join(''));
    abort.abort();
    await done;
  });

  it('ends when the call ends, even while it waits for the client', async () => {
    const log = new LogBuffer(1 << 20);
    const abort = new AbortController();
    const c = client(false, abort.signal);
    const done = sendFollowed(log, log.end, c.send, c.drained, abort.signal);
    log.append(['x']);
    await sleep(80);
    abort.abort();
    await expect(Promise.race([done.then(() => 'ended'), sleep(200).then(() => 'still running')])).resolves.toBe('ended');
  });
});
