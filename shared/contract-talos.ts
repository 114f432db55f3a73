import { z } from 'zod';
import { perNode } from './domain/node';
import {
  containerSchema,
  etcdSchema,
  kernelRecordSchema,
  memorySchema,
  mountSchema,
  overviewSchema,
  processSchema,
  serviceActionSchema,
  serviceSchema,
  talosEventSchema,
  versionSchema,
} from './domain/talos';
import { errorShapeSchema } from './result';

const identityId = z.string().min(1).max(200);
const nodes = z.array(z.string().min(1).max(300)).min(1, 'Select at least one node.').max(1024);
const target = { identityId, nodes };

/** Channels that talk to Talos nodes. */
export const talosChannels = {
  'talos.version': { request: z.strictObject(target), response: z.array(perNode(versionSchema)) },
  'talos.overview': { request: z.strictObject(target), response: z.array(perNode(overviewSchema)) },
  'talos.services': { request: z.strictObject(target), response: z.array(perNode(z.array(serviceSchema))) },
  'talos.serviceAction': {
    request: z.strictObject({ ...target, service: z.string().min(1).max(200), action: serviceActionSchema }),
    response: z.array(perNode(z.object({ message: z.string() }))),
    mutating: true,
  },
  'talos.processes': { request: z.strictObject(target), response: z.array(perNode(z.array(processSchema))) },
  'talos.memory': { request: z.strictObject(target), response: z.array(perNode(memorySchema)) },
  'talos.mounts': { request: z.strictObject(target), response: z.array(perNode(z.array(mountSchema))) },
  'talos.containers': {
    request: z.strictObject({ ...target, namespace: z.enum(['system', 'k8s.io']) }),
    response: z.array(perNode(z.array(containerSchema))),
  },
  'talos.etcd': { request: z.strictObject(target), response: z.array(perNode(etcdSchema)) },
  'stream.open': {
    request: z.strictObject({
      ...target,
      kind: z.enum(['events', 'dmesg']),
      tail: z.number().int().min(-1).max(10_000),
    }),
    response: z.object({ streamId: z.string() }),
  },
  'stream.close': { request: z.strictObject({ streamId: z.string().min(1).max(100) }), response: z.object({}) },
} as const;

export const talosEvents = {
  'stream.events': z.object({ streamId: z.string(), node: z.string(), events: z.array(talosEventSchema) }),
  'stream.kernel': z.object({ streamId: z.string(), node: z.string(), records: z.array(kernelRecordSchema) }),
  'stream.state': z.object({
    streamId: z.string(),
    node: z.string(),
    state: z.enum(['open', 'reconnecting', 'ended', 'error']),
    error: errorShapeSchema.nullable(),
  }),
} as const;
