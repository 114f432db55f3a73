import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../shared/errors';
import type { Dispatch } from '../host/dispatch';
import type { Emit } from '../../shared/handlers';
import type { Handovers } from '../services/handovers';
import type { LogSockets } from './log-sockets';
import { loadStaticFile } from './static-files';

export interface BrowserHostOptions {
  staticDir: string;
  dispatch: Dispatch;
  /** Loopback only; anything else is refused. */
  host?: string;
  port?: number;
  log?: (msg: string) => void;
  /** Files offered for one download at `/handover/<id>` (an exported talosconfig). */
  handovers?: Pick<Handovers, 'take'>;
  /** Log streams' sockets (`/ws/logs?stream=ID`), opened by the log worker. */
  logSockets?: Pick<LogSockets, 'attach' | 'closeAll'>;
}

export interface BrowserHost {
  url: string;
  origin: string;
  port: number;
  token: string;
  emit: Emit;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** The WebSocket subprotocol the page asks for; the token travels as a second offered subprotocol. */
export const WS_PROTOCOL = 'nodeglass.v1';
/** The subprotocol of a log stream's socket (binary frames to the log worker, acknowledgements back). */
export const LOG_WS_PROTOCOL = 'nodeglass.logs.v1';
export const TOKEN_PROTOCOL_PREFIX = 'nodeglass.token.';

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `Sec-WebSocket-Protocol` (a header, so it never appears in a request line or a URL). */
function offeredToken(header: string | undefined): string | null {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  return offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length) ?? null;
}

function refuse(socket: Socket, status: number, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Browser mode: serves the built renderer and carries the contract over a WebSocket on loopback, guarded
 * by a random per-run token and an Origin check. The token reaches the page in the URL fragment (never sent
 * to a server, a log or a Referer) and the host in the `Sec-WebSocket-Protocol` header, never in a URL.
 * A malformed frame (too large, bad UTF-8, reserved bits, unmasked, a bad close code) closes that socket
 * only; the host keeps serving every other one.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const bind = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(bind)) {
    throw new AppError('INVALID_ARGUMENT', `Browser mode only listens on loopback (127.0.0.1); refusing to bind ${bind}.`);
  }
  const log = options.log ?? ((msg: string) => console.error(msg));
  const token = randomBytes(24).toString('base64url');
  const staticDir = path.resolve(options.staticDir);
  const sockets = new Set<WebSocket>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);

  const server = http.createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (urlPath.startsWith('/handover/')) return handOver(req, res, urlPath);
    void loadStaticFile(staticDir, urlPath).then((file) => {
      const found = file ?? (path.extname(urlPath) === '' ? loadStaticFile(staticDir, '/') : null);
      return Promise.resolve(found).then((resolved) => {
        if (!resolved) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
          return;
        }
        res.writeHead(200, {
          'Content-Type': resolved.type,
          'Content-Security-Policy': contentSecurityPolicy(port),
          'X-Content-Type-Options': 'nosniff',
          'X-Frame-Options': 'DENY',
          'Referrer-Policy': 'no-referrer',
          'Cache-Control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : resolved.body);
      });
    });
  });

  /** One download of a file the host offered; only from this origin's own pages (or a tool that sends no fetch metadata). */
  const handOver = (req: http.IncomingMessage, res: http.ServerResponse, urlPath: string) => {
    const site = req.headers['sec-fetch-site'];
    const file = req.method === 'GET' && (site === undefined || site === 'same-origin') ? options.handovers?.take(urlPath) : null;
    if (!file) {
      res
        .writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' })
        .end('Not found (a download link works once, for a minute)');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Disposition': `attachment; filename="${file.filename.replace(/[^\w.@-]/g, '_')}"`,
      'Content-Length': file.body.byteLength,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(file.body, () => file.body.fill(0));
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : protocols.has(LOG_WS_PROTOCOL) ? LOG_WS_PROTOCOL : false),
  });
  wss.on('error', (error) => log(`[browser-host] WebSocket server error: ${error.message}`));
  server.on('clientError', (_error, socket) => socket.destroy());

  server.on('upgrade', (req, socket: Socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const logStream = url.pathname === '/ws/logs' && options.logSockets ? url.searchParams.get('stream') : null;
    if (url.pathname !== '/ws' && logStream === null) return refuse(socket, 404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(socket, 421, 'Misdirected Request');
    if (!allowedOrigins().has(req.headers.origin ?? '')) {
      log(`[browser-host] refused a WebSocket from origin ${JSON.stringify(req.headers.origin ?? null)}`);
      return refuse(socket, 403, 'Forbidden');
    }
    if (!sameToken(offeredToken(req.headers['sec-websocket-protocol']), token)) {
      log('[browser-host] refused a WebSocket with a missing or wrong token');
      return refuse(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (logStream !== null) {
        ws.on('error', (error) => log(`[browser-host] closed a log socket after a bad frame: ${error.message}`));
        return options.logSockets!.attach(logStream, ws);
      }
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // ws closes the socket itself after a protocol error; without this listener the error would end the process.
      ws.on('error', (error) => log(`[browser-host] closed a WebSocket after a bad frame: ${error.message}`));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'binary frames are not accepted');
        let message: unknown;
        try {
          message = JSON.parse(data.toString());
        } catch {
          return ws.close(1007, 'not JSON');
        }
        const { id, channel, request } = (message ?? {}) as { id?: unknown; channel?: unknown; request?: unknown };
        if (typeof id !== 'number') return ws.close(1008, 'request without a numeric id');
        void options.dispatch(channel, request).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
        });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bind === 'localhost' ? '127.0.0.1' : bind, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = bind === '::1' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`;

  const emit: Emit = (name, payload) => {
    const text = JSON.stringify({ event: name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  };

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    emit,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        options.logSockets?.closeAll();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
