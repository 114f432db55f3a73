import * as grpc from '@grpc/grpc-js';
import { hasLifecycleService } from '../../shared/talos-version';
import type { LabNode } from '../model/node';
import { GrpcError, contextFor, resolveNode, routeCall, sleep, toServiceError, type CallContext, type Router } from './call-context';

type WithMessages = { messages: { metadata?: unknown }[] };

export type UnaryFn<Req, Res> = (node: LabNode, request: Req, ctx: CallContext) => Res | Promise<Res>;
/**
 * A server stream's handler. `send` says whether the client keeps up (false: the call's buffer is full);
 * `drained` resolves once it has taken what was sent (or the call ended), like a Go server's blocking Send.
 */
export type StreamFn<Req, Res> = (
  node: LabNode,
  request: Req,
  ctx: CallContext,
  send: (message: Res) => boolean,
  signal: AbortSignal,
  drained: () => Promise<void>,
) => Promise<void>;

export type ApidHooks = { onCall?: (node: LabNode, method: string, code: string, roles: string[]) => void };

function errorMetadata(hostname: string, error: unknown) {
  const e = error instanceof GrpcError ? error : new GrpcError(grpc.status.INTERNAL, String(error));
  return { hostname, error: e.message, status: { code: e.code, message: e.message, details: [] } };
}

const SINCE_V1_13 = new Set(['machine.ImageService', 'machine.LifecycleService']);

async function runOnNode<T>(node: LabNode, method: string, fn: () => T | Promise<T>): Promise<T> {
  if (node.faults.delayMs > 0) await sleep(node.faults.delayMs);
  if (!node.reachable) throw new GrpcError(grpc.status.UNAVAILABLE, 'connection error: desc = "error reading from server: EOF"');
  const name = method.slice(method.lastIndexOf('/') + 1);
  // What an older Talos without this method answers, so screens can be tried against one.
  const service = method.slice(1, method.lastIndexOf('/'));
  if (node.faults.missingMethods.has(name)) throw new GrpcError(grpc.status.UNIMPLEMENTED, `unknown method ${name} for service ${service}`);
  // Talos up to v1.13.0-alpha.2 has no ImageService or LifecycleService: gRPC answers for an unregistered service.
  if (SINCE_V1_13.has(service) && hasLifecycleService(node.talosVersion) === false)
    throw new GrpcError(grpc.status.UNIMPLEMENTED, `unknown service ${service}`);
  return fn();
}

/** Wraps a per-node unary implementation with routing, RBAC, faults and legacy `nodes` aggregation. */
/** A generated method definition: its path, and a decoder used to build complete default messages. */
export interface MethodDef<Res> {
  path: string;
  responseDeserialize(value: Buffer): Res;
}

export function unary<Req, Res>(
  router: Router,
  def: MethodDef<Res>,
  fn: UnaryFn<Req, Res>,
  hooks: ApidHooks = {},
): grpc.handleUnaryCall<Req, Res> {
  const method = def.path;
  // `messages` holding one empty element (field 1, length 0), decoded: a complete default element.
  const blank = () => (def.responseDeserialize(Buffer.from([0x0a, 0x00])) as unknown as WithMessages).messages[0] ?? {};
  return (call, callback) => {
    void (async () => {
      let roles: string[] = [];
      try {
        const ctx = contextFor(call, method);
        roles = ctx.roles;
        const target = routeCall(call, method, router);
        if (target.mode === 'one') {
          const response = await runOnNode(target.node, method, () => fn(target.node, call.request, ctx));
          hooks.onCall?.(target.node, method, 'Success', roles);
          return callback(null, response);
        }
        const parts = await Promise.all(
          target.targets.map(async (label) => {
            try {
              const node = resolveNode(router, label);
              const response = await runOnNode(node, method, () => fn(node, call.request, ctx));
              return (response as unknown as WithMessages).messages.map(
                (m) => ({ ...m, metadata: { hostname: label, error: '', status: undefined } }) as Res,
              );
            } catch (error) {
              return [{ ...blank(), metadata: errorMetadata(label, error) }];
            }
          }),
        );
        callback(null, { messages: parts.flat() } as unknown as Res);
      } catch (error) {
        callback(toServiceError(error));
      }
    })();
  };
}

/** Same for server streams; a reboot or a fault on the node ends the stream with Unavailable. */
export function serverStream<Req, Res>(
  router: Router,
  def: MethodDef<Res>,
  fn: StreamFn<Req, Res>,
): grpc.handleServerStreamingCall<Req, Res> {
  const method = def.path;
  return (call) => {
    const abort = new AbortController();
    call.on('cancelled', () => abort.abort());
    call.on('close', () => abort.abort());
    const fail = (error: unknown) => {
      if (!abort.signal.aborted) call.emit('error', toServiceError(error));
      abort.abort();
    };
    void (async () => {
      try {
        const ctx = contextFor(call, method);
        const target = routeCall(call, method, router);
        const drained = () =>
          new Promise<void>((resolve) => {
            if (abort.signal.aborted) return resolve();
            const done = () => {
              call.off('drain', done);
              abort.signal.removeEventListener('abort', done);
              resolve();
            };
            call.on('drain', done);
            abort.signal.addEventListener('abort', done);
          });
        const one = async (node: LabNode, decorate: (m: Res) => Res) => {
          const kill = (reason: string) =>
            fail(new GrpcError(grpc.status.UNAVAILABLE, `connection error: desc = "error reading from server: EOF" (${reason})`));
          node.streamKillers.add(kill);
          try {
            await runOnNode(node, method, () =>
              fn(node, call.request, ctx, (m) => !abort.signal.aborted && call.write(decorate(m)), abort.signal, drained),
            );
          } finally {
            node.streamKillers.delete(kill);
          }
        };
        if (target.mode === 'one') {
          await one(target.node, (m) => m);
        } else {
          await Promise.all(
            target.targets.map(async (label) => {
              try {
                await one(
                  resolveNode(router, label),
                  (m) => ({ ...m, metadata: { hostname: label, error: '', status: undefined } }) as Res,
                );
              } catch (error) {
                if (!abort.signal.aborted)
                  call.write({ ...def.responseDeserialize(Buffer.alloc(0)), metadata: errorMetadata(label, error) } as Res);
              }
            }),
          );
        }
        if (!abort.signal.aborted) call.end();
      } catch (error) {
        fail(error);
      }
    })();
  };
}

/**
 * Sends bytes as `common.Data` chunks of at most 1 KiB, not aligned to lines (like Talos' chunker); true when
 * a `send` said the client's buffer is full.
 */
export function chunked(text: string | Buffer, send: (bytes: Buffer) => boolean | void, size = 1024): boolean {
  const buffer = typeof text === 'string' ? Buffer.from(text) : text;
  let full = false;
  for (let at = 0; at < buffer.length; at += size) full = send(buffer.subarray(at, at + size)) === false || full;
  return full;
}

/**
 * Sends `text` after the `carry` left from the last call in whole 1 KiB chunks (all of it when `all`); returns
 * what is left for the next call and whether the client's buffer filled.
 */
function sendWhole(
  carry: Buffer,
  text: string,
  all: boolean,
  send: (bytes: Buffer) => boolean,
  size: number,
): { carry: Buffer; full: boolean } {
  const buffer = carry.length ? Buffer.concat([carry, Buffer.from(text)]) : Buffer.from(text);
  const whole = all ? buffer.length : buffer.length - (buffer.length % size);
  return { carry: buffer.subarray(whole), full: chunked(buffer.subarray(0, whole), send, size) };
}

/**
 * Sends lines as 1 KiB chunks (not aligned to lines) the way a node reads a log file out: as the client takes
 * them, so the first bytes leave at once and a million lines never wait in memory as one answer.
 */
export async function sendLines(
  lines: readonly string[],
  send: (bytes: Buffer) => boolean,
  drained: () => Promise<void>,
  signal: AbortSignal,
  size = 1024,
): Promise<void> {
  const PIECE = 64 * 1024;
  let carry: Buffer = Buffer.alloc(0);
  let text = '';
  for (let i = 0; i < lines.length && !signal.aborted; i++) {
    text += lines[i] + '\n';
    const last = i + 1 === lines.length;
    if (text.length < PIECE && !last) continue;
    const sent = sendWhole(carry, text, last, send, size);
    text = '';
    carry = sent.carry;
    if (sent.full) await drained();
  }
}

/** A node's log as a follower reads it: by position, woken by appends (see LogBuffer). */
export interface FollowedLog {
  readFrom(from: number, maxBytes: number): { text: string; next: number };
  follow(listener: () => void): () => void;
}

/**
 * Sends a log's new lines from position `from` on, in 1 KiB chunks, until the call ends, reading only as
 * fast as the client takes them: a slow client leaves its lines in the log (where the writer may lap it)
 * instead of in a send queue that grows without bound. `tick` runs about every 50 ms while the client takes
 * lines (the lab writes its logs lazily, and catches up when it is asked again); a part chunk goes out once
 * the reader has caught up.
 */
export async function sendFollowed(
  log: FollowedLog,
  from: number,
  send: (bytes: Buffer) => boolean,
  drained: () => Promise<void>,
  signal: AbortSignal,
  tick: () => void = () => undefined,
  size = 1024,
): Promise<void> {
  let cursor = from;
  let carry: Buffer = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  const stop = log.follow(() => wake?.());
  let ticked = performance.now();
  try {
    while (!signal.aborted) {
      // Timers may fire a millisecond early by this clock.
      if (performance.now() - ticked >= 45) {
        ticked = performance.now();
        tick();
      }
      const { text, next } = log.readFrom(cursor, 64 * 1024);
      cursor = next;
      // Once caught up, the part chunk left goes out too: a trickle of lines also waits for a client that
      // stopped taking them.
      if (text || carry.length) {
        const sent = sendWhole(carry, text, !text, send, size);
        carry = sent.carry;
        if (sent.full) await drained();
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = null;
          resolve();
        };
        const timer = setTimeout(done, 50);
        signal.addEventListener('abort', done);
        wake = done;
      });
    }
  } finally {
    stop();
  }
}

export function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
