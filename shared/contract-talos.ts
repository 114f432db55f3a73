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
import { STREAM_ID } from './stream-keys';
import {
  configDiffSchema,
  fileEntrySchema,
  machineConfigViewSchema,
  resourceEventSchema,
  resourceKindSchema,
  resourceRowSchema,
} from './domain/inspect';

const identityId = z.string().min(1).max(200);
const nodes = z.array(z.string().min(1).max(300)).min(1, 'Select at least one node.').max(1024);
const target = { identityId, nodes };
const node = z.string().min(1).max(300);
const which = z.enum(['v1alpha1', 'persistent']);
const resourceRef = { type: z.string().min(1).max(300), namespace: z.string().min(1).max(100) };
const downloadId = z.string().min(1).max(100);
/** Chosen by the renderer before it opens a stream, so the first event already has a known id. */
const streamId = z.string().regex(STREAM_ID, 'A stream id is 8 to 100 letters, digits, "-" or "_".');
const filePath = z.string().min(1).max(4096).startsWith('/', 'Paths on a Talos node are absolute, like /var/log.');

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
  'configs.apply': {
    request: z.strictObject({
      identityId,
      node,
      yaml: z
        .string()
        .min(1, 'The config is empty.')
        .max(2 * 1024 * 1024),
      mode: z.enum(['auto', 'no-reboot', 'staged', 'try']),
      dryRun: z.boolean(),
    }),
    response: z.object({ mode: z.string(), modeDetails: z.string(), warnings: z.array(z.string()) }),
    mutating: true,
  },
  'configs.get': { request: z.strictObject({ identityId, node, which }), response: machineConfigViewSchema },
  'configs.reveal': {
    request: z.strictObject({ identityId, node, which }),
    response: machineConfigViewSchema,
    mutating: true,
    readOnlyAllowed: true,
  },
  'configs.diff': {
    request: z.strictObject({
      identityId,
      left: z.strictObject({ node, which }),
      right: z.strictObject({ node, which }),
      hidePerNode: z.boolean(),
    }),
    response: configDiffSchema,
  },
  'resources.kinds': { request: z.strictObject({ identityId, node }), response: z.array(resourceKindSchema) },
  'resources.list': { request: z.strictObject({ ...target, ...resourceRef }), response: z.array(perNode(z.array(resourceRowSchema))) },
  /** A sensitive type (its ResourceDefinition says so) comes back redacted; `resources.reveal` shows it whole. */
  'resources.get': {
    request: z.strictObject({ identityId, node, ...resourceRef, id: z.string().min(1).max(1000) }),
    response: z.object({
      yaml: z.string(),
      sensitive: z.boolean(),
      redactedPaths: z.array(z.string()),
      withheldPaths: z.array(z.string()),
    }),
  },
  'resources.reveal': {
    request: z.strictObject({ identityId, node, ...resourceRef, id: z.string().min(1).max(1000) }),
    response: z.object({ yaml: z.string() }),
    mutating: true,
    readOnlyAllowed: true,
  },
  'files.list': { request: z.strictObject({ identityId, node, path: filePath }), response: z.array(fileEntrySchema) },
  'files.read': {
    request: z.strictObject({ identityId, node, path: filePath }),
    response: z.object({ base64: z.string(), size: z.number() }),
  },
  /** Any size: to the file the operator picks (desktop) or to the page in `files.chunk` events (browser mode). */
  'files.download': {
    request: z.strictObject({ identityId, node, path: filePath, downloadId }),
    response: z.object({ savedTo: z.string().nullable(), bytes: z.number(), cancelled: z.boolean(), sha256: z.string() }),
  },
  'files.cancelDownload': { request: z.strictObject({ downloadId }), response: z.object({}) },
  'logs.sources': {
    request: z.strictObject({ identityId, node }),
    response: z.object({
      services: z.array(z.string()),
      containers: z.array(z.object({ id: z.string(), name: z.string() })),
      /** Calls that failed; what the others gave is still listed (services fall back to ServiceList ids). */
      errors: z.array(z.object({ call: z.string(), message: z.string() })),
    }),
  },
  'logs.open': {
    request: z.strictObject({
      streamId,
      identityId,
      nodes,
      sources: z
        .array(z.strictObject({ kind: z.enum(['service', 'container', 'kernel']), id: z.string().min(1).max(1000) }))
        .min(1)
        .max(50),
      tail: z.number().int().min(-1).max(1_000_000),
      follow: z.boolean(),
      /** The viewer's buffer in lines: the host holds at most this many back for a viewer that fell behind. */
      capLines: z.number().int().min(1000).max(5_000_000).default(1_000_000),
    }),
    response: z.object({ streams: z.array(z.object({ key: z.string(), node: z.string(), kind: z.string(), id: z.string() })) }),
  },
  /**
   * The viewer's log worker took in `frames` more binary log frames of a stream (shared/log-frame.ts), so the
   * host may send more. Lines reach the viewer only as those frames, never as JSON events.
   */
  'logs.ack': {
    request: z.strictObject({ streamId, frames: z.number().int().min(1).max(1000) }),
    response: z.object({ open: z.boolean() }),
  },
  'stream.open': {
    request: z.strictObject({
      streamId,
      ...target,
      kind: z.enum(['events', 'dmesg', 'resources']),
      tail: z.number().int().min(-1).max(10_000),
      resource: z.strictObject({ ...resourceRef, id: z.string().max(1000).nullable() }).optional(),
    }),
    response: z.object({}),
  },
  'stream.close': { request: z.strictObject({ streamId }), response: z.object({ closed: z.boolean() }) },
} as const;

/**
 * Stream events. `key` names the part of the stream an event belongs to (shared/stream-keys.ts): the node
 * address for events, dmesg and resources; node, source kind and id for logs.
 */
export const talosEvents = {
  /** A running download: bytes so far, and (browser mode only) the next piece of the file. */
  'files.chunk': z.object({
    downloadId: z.string(),
    bytes: z.number(),
    base64: z.string().nullable(),
    /** Packet captures: packets so far. */
    packets: z.number().nullable(),
  }),
  'stream.events': z.object({ streamId: z.string(), key: z.string(), events: z.array(talosEventSchema) }),
  'stream.kernel': z.object({ streamId: z.string(), key: z.string(), records: z.array(kernelRecordSchema) }),
  'stream.resources': z.object({ streamId: z.string(), key: z.string(), events: z.array(resourceEventSchema) }),
  /** Lines of a log stream the viewer has not taken in yet (held by the host or on their way). */
  'stream.behind': z.object({ streamId: z.string(), lines: z.number().int().min(0) }),
  /** Where a part reconnected; `lost` when data between the drop and the reconnect may be missing. */
  'stream.mark': z.object({ streamId: z.string(), key: z.string(), lost: z.boolean(), message: z.string() }),
  'stream.state': z.object({
    streamId: z.string(),
    key: z.string(),
    state: z.enum(['open', 'reconnecting', 'ended', 'error']),
    error: errorShapeSchema.nullable(),
  }),
} as const;
