import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { channelNames, channels } from '../../shared/contract';
import { startBrowserMode } from '../../electron/browser/start-browser-mode';
import { startBrowserHost } from '../../electron/browser/server';
import { createDispatcher } from '../../electron/host/dispatch';
import type { Handlers } from '../../shared/handlers';

let dir: string;
beforeAll(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-hosts-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the contract dispatcher', () => {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    channelNames.map((c) => [
      c,
      async () => {
        calls.push(c);
        throw new Error('secret internals /home/x/.talos');
      },
    ]),
  ) as unknown as Handlers;
  const dispatch = createDispatcher(handlers, () => undefined);

  it('rejects a malformed request on every channel with VALIDATION, before any handler runs', async () => {
    for (const channel of channelNames) {
      for (const bad of ['not an object', 42, [], { unexpected: true }]) {
        const result = await dispatch(channel, bad);
        expect(result, `${channel} with ${JSON.stringify(bad)}`).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      }
    }
    expect(calls).toEqual([]);
  });

  it('refuses unknown channels and never lets a raw error cross', async () => {
    expect(await dispatch('fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const result = await dispatch('app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret internals');
  });

  it('marks the mutating channels', () => {
    const mutating = channelNames.filter((c) => (channels[c] as { mutating?: boolean }).mutating);
    expect(mutating).toContain('talos.serviceAction');
  });
});

describe('browser mode', () => {
  let mode: Awaited<ReturnType<typeof startBrowserMode>>;
  beforeAll(async () => {
    mode = await startBrowserMode({ staticDir: path.join(dir, 'static'), dataDir: dir, version: 'test', log: () => undefined });
  });
  afterAll(async () => mode.stop());

  const connect = (query: string, origin: string) =>
    new Promise<{ status: number | 'open'; ws?: WebSocket }>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${mode.host.port}/ws${query}`, { origin });
      ws.on('open', () => resolve({ status: 'open', ws }));
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.on('error', () => undefined);
    });

  it('refuses a missing token, a wrong token and a foreign Origin', async () => {
    expect((await connect('', mode.host.origin)).status).toBe(401);
    expect((await connect('?token=wrong', mode.host.origin)).status).toBe(401);
    expect((await connect(`?token=${mode.host.token}`, 'http://evil.example')).status).toBe(403);
  });

  it('carries the contract for the right token and origin', async () => {
    const { status, ws } = await connect(`?token=${mode.host.token}`, mode.host.origin);
    expect(status).toBe('open');
    const reply = await new Promise<unknown>((resolve) => {
      ws!.on('message', (data) => resolve(JSON.parse(data.toString())));
      ws!.send(JSON.stringify({ id: 1, channel: 'app.info', request: {} }));
    });
    expect(reply).toMatchObject({ id: 1, result: { ok: true, value: { name: 'Nodeglass', host: 'browser' } } });
    ws!.close();
  });

  it('refuses to bind anything but loopback', async () => {
    await expect(
      startBrowserHost({ staticDir: dir, dispatch: async () => ({ ok: true, value: null }), host: '0.0.0.0' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('layering', () => {
  it('imports electron only in the desktop layer', async () => {
    const offenders: string[] = [];
    const walk = async (d: string) => {
      for (const entry of await readdir(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory() && !['node_modules', 'out', '.git', 'gen'].includes(entry.name)) await walk(full);
        else if (/\.(ts|tsx|mjs)$/.test(entry.name) && /from ['"]electron['"]/.test(await readFile(full, 'utf8')))
          offenders.push(path.relative(process.cwd(), full));
      }
    };
    await walk(process.cwd());
    expect(offenders.filter((f) => !f.startsWith(path.join('electron', 'desktop')) && !f.startsWith('test'))).toEqual([]);
    expect(offenders.length).toBeGreaterThan(0);
  });
});
