import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { followLines } from '../../electron/services/streams/follow-lines';
import type { TalosClient } from '../../electron/talos/client';
import { labClient } from '../helpers/lab-identity';

let lab: Lab;
let reader: TalosClient;

beforeAll(async () => {
  lab = await startLab({ nodes: 2, seed: 3, logRate: 100 });
  reader = labClient(lab, 'reader');
});
afterAll(async () => {
  reader.close();
  await lab.stop();
});

describe('following a log across a dropped stream', () => {
  it('reconnects, delivers no line twice, and reports a reconnect without loss', async () => {
    const abort = new AbortController();
    const lines: string[] = [];
    const reconnects: { lost: boolean }[] = [];
    const states: string[] = [];
    const done = followLines({
      initialTail: 10,
      signal: abort.signal,
      backoff: { initialMs: 50, maxMs: 200 },
      // generous: on a loaded machine the replayed overlap can take longer than the default 500 ms
      settleMs: 5000,
      open: (tailLines, onLines, signal) =>
        reader.logs('10.5.0.3', { namespace: 'system', id: 'kubelet', follow: true, tailLines }, onLines, signal),
      onLines: (l) => lines.push(...l),
      onReconnect: (r) => reconnects.push(r),
      onState: (s) => states.push(s),
    });
    await expect.poll(() => lines.length, { timeout: 5000 }).toBeGreaterThan(40);
    lab.dropStreams('10.5.0.3');
    const atDrop = lines.length;
    await expect.poll(() => reconnects.length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => lines.length, { timeout: 5000 }).toBeGreaterThan(atDrop + 40);
    abort.abort();
    await done;
    expect(states).toContain('reconnecting');
    expect(reconnects[0]).toEqual(expect.objectContaining({ lost: false }));
    expect(new Set(lines).size).toBe(lines.length);
    // kubelet lines carry increasing timestamps: the stream stayed in order across the reconnect
    const ts = lines.map((l) => (JSON.parse(l) as { ts: number }).ts);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).toBe(true);
  });

  it('can be cancelled', async () => {
    const abort = new AbortController();
    let count = 0;
    const done = reader.logs(
      '10.5.0.2',
      { namespace: 'system', id: 'machined', follow: true, tailLines: 1 },
      (l) => (count += l.length),
      abort.signal,
    );
    await expect.poll(() => count, { timeout: 5000 }).toBeGreaterThan(0);
    abort.abort();
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
