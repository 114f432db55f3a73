import { z } from 'zod';

export const versionSchema = z.object({
  tag: z.string(),
  sha: z.string(),
  goVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  platform: z.string(),
  platformMode: z.string(),
});
export type TalosVersion = z.infer<typeof versionSchema>;

export const serviceEventSchema = z.object({ msg: z.string(), state: z.string(), ts: z.string().nullable() });
export const serviceSchema = z.object({
  id: z.string(),
  state: z.string(),
  health: z.enum(['ok', 'fail', 'unknown']),
  healthMessage: z.string(),
  lastChange: z.string().nullable(),
  lastEvent: z.string(),
  events: z.array(serviceEventSchema),
});
export type TalosService = z.infer<typeof serviceSchema>;

export const serviceActionSchema = z.enum(['start', 'stop', 'restart']);
export type ServiceAction = z.infer<typeof serviceActionSchema>;

export const machineStatusSchema = z.object({
  stage: z.string(),
  ready: z.boolean(),
  unmetConditions: z.array(z.object({ name: z.string(), reason: z.string() })),
});

/** One call of a composite view that did not answer: the rest of the view still shows what did. */
export const callFailureSchema = z.object({ call: z.string(), code: z.string(), message: z.string() });
export type CallFailure = z.infer<typeof callFailureSchema>;

/**
 * Everything the overview card shows for one node. Each part is null when its call failed (listed in
 * `failures`), so one method an older Talos lacks never hides the others.
 */
export const overviewSchema = z.object({
  hostname: z.string().nullable(),
  version: versionSchema.nullable(),
  machineType: z.string().nullable(),
  status: machineStatusSchema.nullable(),
  bootTime: z.number().nullable(),
  cpuSeconds: z.object({ busy: z.number(), total: z.number() }).nullable(),
  memory: z.object({ totalMb: z.number(), usedMb: z.number(), availableMb: z.number() }).nullable(),
  load: z.object({ load1: z.number(), load5: z.number(), load15: z.number() }).nullable(),
  security: z.object({ secureBoot: z.boolean(), selinuxState: z.string(), fipsState: z.string() }).nullable(),
  addresses: z.array(z.string()).nullable(),
  failingServices: z.array(z.string()).nullable(),
  failures: z.array(callFailureSchema),
});
export type NodeOverview = z.infer<typeof overviewSchema>;

/** A decoded `machine.Event`: the payload's type name and its fields as plain data. */
export const talosEventSchema = z.object({
  id: z.string(),
  actorId: z.string(),
  type: z.string(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TalosEvent = z.infer<typeof talosEventSchema>;

export const processSchema = z.object({
  pid: z.number(),
  ppid: z.number(),
  state: z.string(),
  threads: z.number(),
  cpuTime: z.number(),
  virtualMemory: z.number(),
  residentMemory: z.number(),
  command: z.string(),
  args: z.string(),
});
export type TalosProcess = z.infer<typeof processSchema>;

/** `talosctl memory` columns, in MB. */
export const memorySchema = z.object({
  totalMb: z.number(),
  usedMb: z.number(),
  freeMb: z.number(),
  sharedMb: z.number(),
  buffersMb: z.number(),
  cacheMb: z.number(),
  availableMb: z.number(),
});
export type TalosMemory = z.infer<typeof memorySchema>;

export const mountSchema = z.object({ filesystem: z.string(), sizeBytes: z.number(), availableBytes: z.number(), mountedOn: z.string() });
export type TalosMount = z.infer<typeof mountSchema>;

export const containerSchema = z.object({
  namespace: z.string(),
  id: z.string(),
  name: z.string(),
  displayId: z.string(),
  image: z.string(),
  pid: z.number(),
  status: z.string(),
  podId: z.string(),
  /** The pod's network namespace path (`/var/run/netns/cni-…`); empty for host-network containers. */
  networkNamespace: z.string(),
});
export type TalosContainer = z.infer<typeof containerSchema>;

/** One node's view of etcd; a part is null when its call failed (see `failures`), never an empty all-clear. */
export const etcdSchema = z.object({
  members: z
    .array(
      z.object({
        id: z.string(),
        hostname: z.string(),
        peerUrls: z.array(z.string()),
        clientUrls: z.array(z.string()),
        isLearner: z.boolean(),
      }),
    )
    .nullable(),
  status: z
    .object({
      memberId: z.string(),
      protocolVersion: z.string(),
      storageVersion: z.string(),
      dbSize: z.number(),
      dbSizeInUse: z.number(),
      leader: z.string(),
      raftIndex: z.string(),
      raftTerm: z.string(),
      raftAppliedIndex: z.string(),
      isLearner: z.boolean(),
      errors: z.array(z.string()),
    })
    .nullable(),
  alarms: z.array(z.object({ memberId: z.string(), alarm: z.string() })).nullable(),
  failures: z.array(callFailureSchema),
});
export type TalosEtcd = z.infer<typeof etcdSchema>;

export const kernelRecordSchema = z.object({
  facility: z.string(),
  priority: z.string(),
  time: z.string().nullable(),
  message: z.string(),
});
export type KernelRecord = z.infer<typeof kernelRecordSchema>;
