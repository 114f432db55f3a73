import { MachineServiceService, type ServiceListResponse } from '../../proto/gen/machine/machine';
import { toTimestamp } from '../../proto/timestamps';
import type { LabNode, ServiceState } from '../model/node';

/**
 * ServiceList for one node. A node's services rarely change between two calls, and encoding its answer
 * (a dozen services, up to 64 events each) was the lab's largest cost per call when it answers a 100-node
 * fan-out on one core: the answer is rebuilt only when something it shows has changed, and the same (frozen)
 * object keeps its encoding (see `serviceListSerialize`).
 */
export function serviceListResponse(node: LabNode): ServiceListResponse {
  const last = lastAnswer.get(node);
  if (last && unchanged(node, last.seen)) return last.response;
  const response = deepFreeze(build(node));
  lastAnswer.set(node, { seen: shown(node), response });
  kept.add(response);
  return response;
}

/** MachineService.ServiceList's serializer: the same bytes again for an answer `serviceListResponse` kept. */
export function serviceListSerialize(value: ServiceListResponse): Buffer {
  const done = encoded.get(value);
  if (done) return done;
  const bytes = MachineServiceService.serviceList.responseSerialize(value);
  if (kept.has(value)) encoded.set(value, bytes);
  return bytes;
}

const lastAnswer = new WeakMap<LabNode, { seen: unknown[]; response: ServiceListResponse }>();
const kept = new WeakSet<object>();
const encoded = new WeakMap<object, Buffer>();

function build(node: LabNode): ServiceListResponse {
  const ts = toTimestamp;
  return {
    messages: [
      {
        metadata: undefined,
        services: [...node.services.values()].map((svc) => ({
          id: svc.def.id,
          state: svc.state,
          events: { events: svc.events.map((e) => ({ msg: e.msg, state: e.state, ts: ts(e.ts) })) },
          health: { unknown: svc.unknown, healthy: svc.healthy, lastMessage: svc.lastMessage, lastChange: ts(svc.lastChange) },
        })),
      },
    ],
  };
}

/** Everything the answer is made of; events are never changed once recorded, so their identity stands for them. */
function shown(node: LabNode): unknown[] {
  const items: unknown[] = [];
  for (const svc of node.services.values() as IterableIterator<ServiceState>) {
    items.push(svc.def.id, svc.state, svc.unknown, svc.healthy, svc.lastMessage, svc.lastChange, svc.events.length);
    for (const event of svc.events) items.push(event, event.msg, event.state, event.ts);
  }
  return items;
}

/** Whether the node still shows exactly `seen` (walked in `shown`'s order, without building a new list). */
function unchanged(node: LabNode, seen: unknown[]): boolean {
  let i = 0;
  const next = (value: unknown) => i < seen.length && seen[i++] === value;
  for (const svc of node.services.values() as IterableIterator<ServiceState>) {
    if (!next(svc.def.id) || !next(svc.state) || !next(svc.unknown) || !next(svc.healthy)) return false;
    if (!next(svc.lastMessage) || !next(svc.lastChange) || !next(svc.events.length)) return false;
    for (const event of svc.events) if (!next(event) || !next(event.msg) || !next(event.state) || !next(event.ts)) return false;
  }
  return i === seen.length;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
