import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import type { LogFrameSink } from '../../shared/handlers';
import { decodeLogFrame, type LogBatch } from '../../shared/log-frame';
import { logStreamKey } from '../../shared/stream-keys';
import { createDispatcher, type Dispatch } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';

type Seen = { name: EventName; payload: Record<string, unknown> };
let dir: string;
let services: Services;
let dispatch: Dispatch;
const seen: Seen[] = [];
const ADMIN = 'practice:admin@lab';
const READER = 'practice:reader@lab';
const CP = '10.5.0.2';
const W = '10.5.0.3';

const of = (streamId: string, name?: EventName) => seen.filter((e) => e.payload.streamId === streamId && (!name || e.name === name));
// Log lines arrive as binary frames; this stands in for a viewer that takes each one in and acknowledges it.
const batches: (LogBatch & { streamId: string })[] = [];
const logBatches = (streamId: string) => batches.filter((b) => b.streamId === streamId && b.lines > 0);
const lines = (streamId: string) => logBatches(streamId).reduce((n, b) => n + b.lines, 0);
const viewer: LogFrameSink = {
  send(streamId, frame) {
    for (const b of decodeLogFrame(frame).batches) batches.push({ ...b, streamId });
    setImmediate(() => void dispatch('logs.ack', { streamId, frames: 1 }));
    return true;
  },
  close: () => undefined,
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-hub-'));
  services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: dir,
    env: {},
    home: dir,
    emit: (name, payload) => seen.push({ name, payload: payload as Record<string, unknown> }),
    logFrames: viewer,
  });
  dispatch = createDispatcher(services);
  expect(await dispatch('lab.start', { nodes: 2 })).toMatchObject({ ok: true });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('the stream hub', () => {
  it('uses the id the renderer chose from the first event on, and the keys the renderer can compute', async () => {
    const sources = [
      { kind: 'service' as const, id: 'kubelet' },
      { kind: 'kernel' as const, id: 'kernel' },
    ];
    const opened = await dispatch('logs.open', {
      streamId: 'logs-chosen-1',
      identityId: ADMIN,
      nodes: [CP, W],
      sources,
      tail: 5,
      follow: true,
    });
    expect(opened).toMatchObject({ ok: true });
    const keys = [CP, W].flatMap((node) => sources.map((s) => logStreamKey(node, s)));
    expect((opened as { value: { streams: { key: string }[] } }).value.streams.map((s) => s.key)).toEqual(keys);
    await expect.poll(() => new Set(logBatches('logs-chosen-1').map((b) => b.key)).size, { timeout: 5000 }).toBe(4);
    for (const e of of('logs-chosen-1').filter((e) => 'key' in e.payload)) expect(keys).toContain(e.payload.key);
    for (const b of logBatches('logs-chosen-1')) expect(keys).toContain(b.key);
    expect(await dispatch('stream.close', { streamId: 'logs-chosen-1' })).toEqual({ ok: true, value: { closed: true } });
  });

  it('refuses an id that is open and accepts it again once closed', async () => {
    const request = { streamId: 'events-reuse-1', identityId: READER, nodes: [W], kind: 'events' as const, tail: 1 };
    expect(await dispatch('stream.open', request)).toMatchObject({ ok: true });
    expect(await dispatch('stream.open', request)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await dispatch('stream.close', { streamId: 'events-reuse-1' })).toMatchObject({ ok: true, value: { closed: true } });
    expect(await dispatch('stream.close', { streamId: 'events-reuse-1' })).toMatchObject({ ok: true, value: { closed: false } });
    expect(await dispatch('stream.open', request)).toMatchObject({ ok: true });
    await dispatch('stream.close', { streamId: 'events-reuse-1' });
    expect(await dispatch('stream.open', { ...request, streamId: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('closes every part on one close: each ends and no line follows', async () => {
    const id = 'logs-close-path';
    await dispatch('logs.open', {
      streamId: id,
      identityId: READER,
      nodes: [CP, W],
      sources: [{ kind: 'service', id: 'machined' }],
      tail: 1,
      follow: true,
    });
    await expect.poll(() => lines(id), { timeout: 5000 }).toBeGreaterThan(0);
    await dispatch('stream.close', { streamId: id });
    await expect.poll(() => of(id, 'stream.state').filter((e) => e.payload.state === 'ended').length, { timeout: 5000 }).toBe(2);
    const after = lines(id);
    services.lab.current()!.setLogRate(200);
    await new Promise((r) => setTimeout(r, 300));
    services.lab.current()!.setLogRate(20);
    expect(lines(id)).toBe(after);
  });

  it('reconnects a dropped log part with the common policy and marks the place', async () => {
    const id = 'logs-reconnect';
    const key = logStreamKey(W, { kind: 'service', id: 'kubelet' });
    await dispatch('logs.open', {
      streamId: id,
      identityId: READER,
      nodes: [W],
      sources: [{ kind: 'service', id: 'kubelet' }],
      tail: 5,
      follow: true,
    });
    await expect.poll(() => lines(id), { timeout: 5000 }).toBeGreaterThan(4);
    services.lab.current()!.dropStreams(W);
    await expect.poll(() => of(id, 'stream.mark').length, { timeout: 8000 }).toBe(1);
    expect(of(id, 'stream.mark')[0]!.payload).toMatchObject({
      key,
      lost: expect.any(Boolean),
      message: expect.stringMatching(/^stream reconnected after ".*stream dropped by fault injection.*"; /),
    });
    expect(of(id, 'stream.state').map((e) => e.payload.state)).toEqual(expect.arrayContaining(['open', 'reconnecting']));
    await dispatch('stream.close', { streamId: id });
  });

  it('sends kernel records parsed once, keyed by node', async () => {
    const id = 'dmesg-parsed';
    await dispatch('stream.open', { streamId: id, identityId: READER, nodes: [CP], kind: 'dmesg', tail: -1 });
    await expect.poll(() => of(id, 'stream.kernel').length, { timeout: 5000 }).toBeGreaterThan(0);
    const first = of(id, 'stream.kernel')[0]!.payload as {
      key: string;
      records: { facility: string; priority: string; time: string; message: string }[];
    };
    expect(first.key).toBe(CP);
    expect(first.records[0]).toMatchObject({ facility: 'kern', priority: 'info', message: expect.stringMatching(/^Linux version/) });
    expect(first.records[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    await dispatch('stream.close', { streamId: id });
  });

  it('gives up on a part the role may not read, with the reason as its final state', async () => {
    const id = 'watch-denied';
    const resource = { type: 'MachineConfigs.config.talos.dev', namespace: 'config', id: null };
    await dispatch('stream.open', { streamId: id, identityId: READER, nodes: [CP], kind: 'resources', tail: 0, resource });
    await expect.poll(() => of(id, 'stream.state').find((e) => e.payload.state === 'error'), { timeout: 5000 }).toBeTruthy();
    expect(of(id, 'stream.state').find((e) => e.payload.state === 'error')!.payload).toMatchObject({
      key: CP,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(of(id, 'stream.state').some((e) => e.payload.state === 'reconnecting')).toBe(false);
  });

  it('does not retry a log the node does not keep (etcd on a worker)', async () => {
    const id = 'logs-not-kept';
    await dispatch('logs.open', {
      streamId: id,
      identityId: READER,
      nodes: [W],
      sources: [{ kind: 'service', id: 'etcd' }],
      tail: 5,
      follow: true,
    });
    await expect.poll(() => of(id, 'stream.state').find((e) => e.payload.state === 'error'), { timeout: 5000 }).toBeTruthy();
    expect(of(id, 'stream.state').find((e) => e.payload.state === 'error')!.payload).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('log "etcd" was not registered') },
    });
    expect(of(id, 'stream.state').some((e) => e.payload.state === 'reconnecting')).toBe(false);
  });

  it('closes every stream when the practice cluster stops', async () => {
    const id = 'events-until-lab-stops';
    await dispatch('stream.open', { streamId: id, identityId: READER, nodes: [CP, W], kind: 'events', tail: 1 });
    await expect.poll(() => of(id, 'stream.state').length, { timeout: 5000 }).toBeGreaterThan(1);
    await dispatch('lab.stop', {});
    await expect.poll(() => of(id, 'stream.state').filter((e) => e.payload.state === 'ended').length, { timeout: 5000 }).toBe(2);
    expect(await dispatch('stream.close', { streamId: id })).toMatchObject({ ok: true, value: { closed: false } });
  });
});
