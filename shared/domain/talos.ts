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

export const overviewSchema = z.object({
  hostname: z.string(),
  version: versionSchema,
  machineType: z.string(),
  status: machineStatusSchema.nullable(),
  bootTime: z.number(),
  cpuSeconds: z.object({ busy: z.number(), total: z.number() }),
  memory: z.object({ totalMb: z.number(), usedMb: z.number(), availableMb: z.number() }),
  load: z.object({ load1: z.number(), load5: z.number(), load15: z.number() }),
  security: z.object({ secureBoot: z.boolean(), selinuxState: z.string(), fipsState: z.string() }).nullable(),
  addresses: z.array(z.string()),
  failingServices: z.array(z.string()),
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
