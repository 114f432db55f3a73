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
  const seen = shown(node);
  const last = lastAnswer.get(node);
  if (last && sameItems(last.seen, seen)) return last.response;
  const response = deepFreeze(build(node));
  lastAnswer.set(node, { seen, response });
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

function sameItems(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
