import type { ResourceRow } from '../../../shared/domain/inspect';
import type { KernelRecord, TalosEvent } from '../../../shared/domain/talos';
import type { AppError } from '../../../shared/errors';
import type { Emit } from '../../../shared/handlers';
import { parseKernelRecord } from '../../../shared/kernel-record';
import type { TalosClient } from '../../talos/client';
import { BYTE_LINES, type LineBytesChunk } from '../../talos/line-bytes';
import { toRow } from '../resources/resource-row';
import { guardItem, isSensitiveType } from '../secrets/sensitive-gate';
import { Batcher } from './batcher';
import { followLines } from './follow-lines';
import type { LogFlow } from './log-flow';
import { keepOpen, type Backoff, type StreamState } from './reconnect';

export type LogSource = { kind: 'service' | 'container' | 'kernel'; id: string };
export type ResourceRef = { type: string; namespace: string; id: string | null };

/** What one stream part is: a log source on a node, or a node's events, kernel records or resource changes. */
export type PartSpec =
  | { kind: 'log'; node: string; source: LogSource; tail: number; follow: boolean }
  | { kind: 'events'; node: string; tail: number }
  | { kind: 'dmesg'; node: string; tail: number }
  | { kind: 'resources'; node: string; resource: ResourceRef };

export interface PartContext {
  client: TalosClient;
  streamId: string;
  key: string;
  signal: AbortSignal;
  emit: Emit;
  backoff?: Backoff;
  /** A log stream's flow to the viewer (binary frames with back-pressure); set for log streams. */
  logs?: LogFlow;
}

const EVENT_FLUSH_MS = 100;
const SEEN_EVENTS = 20_000;

function reporters(ctx: PartContext, flush: () => void) {
  const { emit, streamId, key } = ctx;
  return {
    onState: (state: StreamState, error: AppError | null) =>
      emit('stream.state', { streamId, key, state, error: error ? { code: error.code, message: error.message } : null }),
    mark: (lost: boolean, message: string) => {
      flush();
      emit('stream.mark', { streamId, key, lost, message });
    },
  };
}

/** The raw lines of one source: a service or container log, or the kernel ring. */
function openLines(client: TalosClient, node: string, source: LogSource, follow: boolean) {
  return (tailLines: number, onLines: (lines: string[]) => void, signal: AbortSignal) => {
    if (source.kind !== 'kernel') {
      const namespace = source.kind === 'container' ? 'k8s.io' : 'system';
      return client.logs(node, { namespace, id: source.id, follow, tailLines }, onLines, signal);
    }
    // Dmesg knows only "everything" or "from now": any tail but 0 asks for the whole ring.
    return client.dmesg(node, { follow, tail: tailLines === 0 }, onLines, signal);
  };
}

/** The same, as whole lines in the bytes that came off the wire: the log viewer's lines are never decoded here. */
function openLineBytes(client: TalosClient, node: string, source: LogSource, follow: boolean) {
  return (tailLines: number, onChunk: (chunk: LineBytesChunk) => void, signal: AbortSignal) => {
    if (source.kind !== 'kernel') {
      const namespace = source.kind === 'container' ? 'k8s.io' : 'system';
      return client.logBytes(node, { namespace, id: source.id, follow, tailLines }, onChunk, signal);
    }
    return client.dmesgBytes(node, { follow, tail: tailLines === 0 }, onChunk, signal);
  };
}

function reconnectMessage(lost: boolean, error: AppError, what: string): string {
  return lost
    ? `stream reconnected after "${error.message}"; ${what} may be missing here`
    : `stream reconnected after "${error.message}"; no ${what} lost`;
}

/** A log source, followed across drops; its lines go to the stream's flow as bytes (see LogFlow). */
function runLog(ctx: PartContext, spec: Extract<PartSpec, { kind: 'log' }>): Promise<void> {
  const flow = ctx.logs;
  if (!flow) throw new Error('a log part needs its stream flow');
  const report = reporters(ctx, () => flow.flush());
  return followLines({
    initialTail: spec.tail,
    signal: ctx.signal,
    backoff: ctx.backoff,
    codec: BYTE_LINES,
    open: openLineBytes(ctx.client, spec.node, spec.source, spec.follow),
    onLines: (chunk) => flow.push(ctx.key, chunk),
    onReconnect: ({ lost, error }) => report.mark(lost, reconnectMessage(lost, error, 'lines')),
    onState: report.onState,
  });
}

/** The kernel ring as parsed records (each line parsed once, here), followed across drops like a log. */
function runDmesg(ctx: PartContext, spec: Extract<PartSpec, { kind: 'dmesg' }>): Promise<void> {
  const batch = new Batcher<KernelRecord>(
    (records) => ctx.emit('stream.kernel', { streamId: ctx.streamId, key: ctx.key, records }),
    EVENT_FLUSH_MS,
  );
  const report = reporters(ctx, () => batch.flush());
  return followLines({
    initialTail: spec.tail,
    signal: ctx.signal,
    backoff: ctx.backoff,
    open: openLines(ctx.client, spec.node, { kind: 'kernel', id: 'kernel' }, true),
    onLines: (lines) => batch.pushAll(lines.map(parseKernelRecord)),
    onReconnect: ({ lost, error }) => report.mark(lost, reconnectMessage(lost, error, 'kernel messages')),
    onState: report.onState,
  }).finally(() => batch.close());
}

/**
 * Machine events. After a drop it asks for the seconds since the drop (a rebooted node has new event ids,
 * so resuming by id would find nothing) and skips events already delivered.
 */
function runEvents(ctx: PartContext, spec: Extract<PartSpec, { kind: 'events' }>): Promise<void> {
  const batch = new Batcher<TalosEvent>(
    (events) => ctx.emit('stream.events', { streamId: ctx.streamId, key: ctx.key, events }),
    EVENT_FLUSH_MS,
  );
  const report = reporters(ctx, () => batch.flush());
  const seen = new Set<string>();
  return keepOpen({
    signal: ctx.signal,
    backoff: ctx.backoff,
    onState: report.onState,
    attempt: ({ lastError, droppedAt, healthy }) => {
      let resumed = lastError === null;
      const since = droppedAt !== null ? { tailSeconds: Math.ceil((Date.now() - droppedAt) / 1000) + 5 } : { tailEvents: spec.tail };
      return ctx.client.events(
        spec.node,
        since,
        (event) => {
          healthy();
          if (!resumed && lastError) {
            resumed = true;
            report.mark(false, `stream reconnected after "${lastError.message}"; events since the drop were asked for again`);
          }
          if (seen.has(event.id)) return;
          seen.add(event.id);
          if (seen.size > SEEN_EVENTS) seen.delete(seen.values().next().value as string);
          batch.push(event);
        },
        ctx.signal,
      );
    },
  }).finally(() => batch.close());
}

/** A resource watch; after a drop the watch starts over with a fresh bootstrap of the current state. */
function runResources(ctx: PartContext, spec: Extract<PartSpec, { kind: 'resources' }>): Promise<void> {
  type Change = { kind: 'created' | 'updated' | 'destroyed' | 'bootstrapped'; row: ResourceRow | null };
  const batch = new Batcher<Change>(
    (events) => ctx.emit('stream.resources', { streamId: ctx.streamId, key: ctx.key, events }),
    EVENT_FLUSH_MS,
  );
  const report = reporters(ctx, () => batch.flush());
  const { namespace, type, id } = spec.resource;
  return keepOpen({
    signal: ctx.signal,
    backoff: ctx.backoff,
    onState: report.onState,
    attempt: async ({ lastError, healthy }) => {
      const kinds = await ctx.client.resourceDefinitions(spec.node).catch(() => null);
      const kind = kinds?.find((k) => k.type === type) ?? null;
      // A sensitive type (or one whose sensitivity cannot be looked up) is watched redacted, like resources.get.
      const sensitive = await isSensitiveType(ctx.client, spec.node, type, kinds);
      if (lastError) report.mark(false, `watch restarted after "${lastError.message}"; the current state was read again`);
      await ctx.client.watchResources(
        spec.node,
        { namespace, type, ...(id ? { id } : {}) },
        (e) => {
          healthy();
          batch.push({ kind: e.kind, row: e.resource ? toRow(guardItem(e.resource, sensitive).item, kind) : null });
        },
        ctx.signal,
      );
    },
  }).finally(() => batch.close());
}

export function runPart(ctx: PartContext, spec: PartSpec): Promise<void> {
  switch (spec.kind) {
    case 'log':
      return runLog(ctx, spec);
    case 'dmesg':
      return runDmesg(ctx, spec);
    case 'events':
      return runEvents(ctx, spec);
    case 'resources':
      return runResources(ctx, spec);
  }
}
