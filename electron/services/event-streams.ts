import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { KernelRecord, TalosEvent } from '../../shared/domain/talos';
import { parseKernelRecord } from './node-tables';
import { toRow } from './resources/resource-row';
import type { ResourceRow } from '../../shared/domain/inspect';
import { AppError } from '../../shared/errors';
import type { Emit } from '../../shared/handlers';
import type { TalosSessions } from './talos-sessions';

const BATCH_MS = 100;

/** Live event streams per node, batched before they cross to the renderer; a dropped stream reconnects. */
export class EventStreams {
  private readonly open = new Map<string, AbortController>();

  constructor(
    private readonly sessions: TalosSessions,
    private readonly emit: Emit,
  ) {}

  async start(
    identityId: string,
    nodes: string[],
    tail: number,
    kind: 'events' | 'dmesg' | 'resources' = 'events',
    resource?: { type: string; namespace: string; id: string | null },
  ): Promise<string> {
    if (kind === 'resources' && !resource) throw new AppError('INVALID_ARGUMENT', 'A resource watch needs a type and a namespace.');
    const client = await this.sessions.client(identityId);
    const streamId = randomUUID();
    const abort = new AbortController();
    setMaxListeners(0, abort.signal); // one listener per node and source
    this.open.set(streamId, abort);
    for (const node of nodes) {
      let pending: TalosEvent[] = [];
      let kernel: KernelRecord[] = [];
      let changes: { kind: 'created' | 'updated' | 'destroyed' | 'bootstrapped'; row: ResourceRow | null }[] = [];
      let droppedAt = 0;
      let reopened = false;
      const seen = new Set<string>();
      const flush = setInterval(() => {
        if (pending.length) {
          this.emit('stream.events', { streamId, node, events: pending });
          pending = [];
        }
        if (changes.length) {
          this.emit('stream.resources', { streamId, node, events: changes });
          changes = [];
        }
        if (kernel.length) {
          this.emit('stream.kernel', { streamId, node, records: kernel });
          kernel = [];
        }
      }, BATCH_MS);
      abort.signal.addEventListener('abort', () => clearInterval(flush), { once: true });
      void (async () => {
        let delay = 500;
        while (!abort.signal.aborted) {
          this.emit('stream.state', { streamId, node, state: 'open', error: null });
          try {
            if (kind === 'resources' && resource) {
              const kindDef = (await client.resourceDefinitions(node)).find((k) => k.type === resource.type) ?? null;
              await client.watchResources(
                node,
                { namespace: resource.namespace, type: resource.type, ...(resource.id ? { id: resource.id } : {}) },
                (e) => changes.push({ kind: e.kind, row: e.resource ? toRow(e.resource, kindDef) : null }),
                abort.signal,
              );
            } else if (kind === 'dmesg') {
              // After a drop, only new records: the kernel ring has no ids to resume from.
              await client.dmesg(
                node,
                { follow: true, tail: reopened || tail === 0 },
                (line) => kernel.push(parseKernelRecord(line)),
                abort.signal,
              );
            } else {
              // After a drop, ask for the seconds since it happened (a rebooted node has new event ids, so
              // tail_id would find nothing) and skip the events already delivered.
              const since = droppedAt ? { tailSeconds: Math.ceil((Date.now() - droppedAt) / 1000) + 5 } : { tailEvents: tail };
              await client.events(
                node,
                since,
                (event) => {
                  droppedAt = 0;
                  if (seen.has(event.id)) return;
                  seen.add(event.id);
                  if (seen.size > 20_000) seen.delete(seen.values().next().value as string);
                  pending.push(event);
                  delay = 500;
                },
                abort.signal,
              );
            }
            if (abort.signal.aborted) break;
          } catch (error) {
            if (abort.signal.aborted) break;
            const e = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
            this.emit('stream.state', { streamId, node, state: 'reconnecting', error: { code: e.code, message: e.message } });
            reopened = true;
            droppedAt ||= Date.now();
          }
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 10_000);
        }
        this.emit('stream.state', { streamId, node, state: 'ended', error: null });
      })();
    }
    return streamId;
  }

  stop(streamId: string): void {
    this.open.get(streamId)?.abort();
    this.open.delete(streamId);
  }

  stopAll(): void {
    for (const id of [...this.open.keys()]) this.stop(id);
  }
}
