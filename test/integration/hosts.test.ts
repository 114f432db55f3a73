import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
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
  const dispatch = createDispatcher({ handlers }, () => undefined);

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

  const connect = (token: string | null, origin: string, query = '') =>
    new Promise<{ status: number | 'open'; ws?: WebSocket }>((resolve) => {
      const protocols = token === null ? ['nodeglass.v1'] : ['nodeglass.v1', `nodeglass.token.${token}`];
      const ws = new WebSocket(`ws://127.0.0.1:${mode.host.port}/ws${query}`, protocols, { origin });
      ws.on('open', () => resolve({ status: 'open', ws }));
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.on('error', () => undefined);
    });

  const appInfo = async (ws: WebSocket) => {
    const reply = await new Promise<unknown>((resolve) => {
      ws.once('message', (data) => resolve(JSON.parse(data.toString())));
      ws.send(JSON.stringify({ id: 1, channel: 'app.info', request: {} }));
    });
    expect(reply).toMatchObject({ id: 1, result: { ok: true, value: { name: 'Nodeglass', host: 'browser' } } });
  };

  it('refuses a missing token, a wrong token, a token in the URL and a foreign Origin', async () => {
    expect((await connect(null, mode.host.origin)).status).toBe(401);
    expect((await connect('wrong', mode.host.origin)).status).toBe(401);
    expect((await connect(null, mode.host.origin, `?token=${mode.host.token}`)).status).toBe(401);
    expect((await connect(mode.host.token, 'http://evil.example')).status).toBe(403);
  });

  it('carries the contract for the right token (in the protocol header) and origin', async () => {
    const { status, ws } = await connect(mode.host.token, mode.host.origin);
    expect(status).toBe('open');
    expect(ws!.protocol).toBe('nodeglass.v1');
    await appInfo(ws!);
    ws!.close();
  });

  const logSocket = (token: string | null, origin: string, query: string) =>
    new Promise<{ status: number | 'open'; ws?: WebSocket }>((resolve) => {
      const protocols = token === null ? ['nodeglass.logs.v1'] : ['nodeglass.logs.v1', `nodeglass.token.${token}`];
      const ws = new WebSocket(`ws://127.0.0.1:${mode.host.port}/ws/logs${query}`, protocols, { origin });
      ws.on('open', () => resolve({ status: 'open', ws }));
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.on('error', () => undefined);
    });

  it("guards a log stream's socket like the contract's, and closes it on anything but an acknowledgement", async () => {
    expect((await logSocket(null, mode.host.origin, '?stream=abcdefgh12')).status).toBe(401);
    expect((await logSocket(mode.host.token, 'http://evil.example', '?stream=abcdefgh12')).status).toBe(403);
    expect((await logSocket(mode.host.token, mode.host.origin, '')).status).toBe(404);

    const badId = (await logSocket(mode.host.token, mode.host.origin, '?stream=../../x')).ws!;
    expect(await new Promise((resolve) => badId.once('close', (code) => resolve(code)))).toBe(1008);

    for (const message of ['{"ack":0}', '{"ack":1.5}', '{"ack":1,"x":1}', 'not json', '{"id":1,"channel":"app.info","request":{}}']) {
      const { status, ws } = await logSocket(mode.host.token, mode.host.origin, '?stream=abcdefgh12');
      expect(status).toBe('open');
      expect(ws!.protocol).toBe('nodeglass.logs.v1');
      const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
      ws!.send(message);
      expect(await closed).toBe(1008);
    }
    // An acknowledgement for a stream the host does not know is harmless: the socket stays open.
    const { ws } = await logSocket(mode.host.token, mode.host.origin, '?stream=abcdefgh12');
    ws!.send('{"ack":1}');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ws!.readyState).toBe(WebSocket.OPEN);
    ws!.close();
  });

  /** Opens a WebSocket by hand, so the test can send frames no well-behaved client would. */
  const rawSocket = async () => {
    const socket = net.connect(mode.host.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      [
        'GET /ws HTTP/1.1',
        `Host: 127.0.0.1:${mode.host.port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Protocol: nodeglass.v1, nodeglass.token.${mode.host.token}`,
        `Origin: ${mode.host.origin}`,
        '',
        '',
      ].join('\r\n'),
    );
    const head = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
    expect(head).toMatch(/^HTTP\/1\.1 101/);
    return socket;
  };
  const masked = (first: number, payload: Buffer) => {
    const mask = randomBytes(4);
    return Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);
  };
  const badFrames: Record<string, Buffer> = {
    'a message over 8 MiB': Buffer.concat([
      Buffer.from([0x81, 0x80 | 127]),
      (() => {
        const length = Buffer.alloc(8);
        length.writeBigUInt64BE(BigInt(8 * 1024 * 1024 + 1));
        return length;
      })(),
      randomBytes(4),
    ]),
    'invalid UTF-8': masked(0x81, Buffer.from([0xc3, 0x28])),
    'a reserved bit': masked(0xc1, Buffer.from('{}')),
    'an unmasked frame': Buffer.from([0x81, 2, 0x7b, 0x7d]),
    'close code 999': masked(0x88, Buffer.from([0x03, 0xe7])),
  };
  for (const [name, frame] of Object.entries(badFrames)) {
    it(`closes only the socket that sent ${name}; the host keeps serving`, async () => {
      const { ws: bystander } = await connect(mode.host.token, mode.host.origin);
      const socket = await rawSocket();
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.on('error', () => undefined);
      socket.write(frame);
      await closed;
      await appInfo(bystander!);
      const { status, ws } = await connect(mode.host.token, mode.host.origin);
      expect(status).toBe('open');
      ws!.close();
      bystander!.close();
    });
  }

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
