import { z } from 'zod';

const psiSchema = z.object({ avg10: z.number(), avg60: z.number(), avg300: z.number(), total: z.number() });
/** A pressure file (`cpu.pressure`, …): `some` always, `full` where the kernel reports it. */
export const pressureSchema = z.object({ some: psiSchema.nullable(), full: psiSchema.nullable() });

/** One cgroup of `talosctl cgroups`, with every value its presets show (null = the file is absent). */
export const cgroupSchema = z.object({
  path: z.string(),
  /** What talosctl prints: a service or container name resolved from pod UIDs, container IDs and processes. */
  name: z.string(),
  depth: z.number(),
  pids: z.array(z.number()),
  processes: z.array(z.string()),
  cpu: z.object({
    weight: z.number().nullable(),
    max: z.string().nullable(),
    usageUsec: z.number().nullable(),
    userUsec: z.number().nullable(),
    systemUsec: z.number().nullable(),
    nrThrottled: z.number().nullable(),
    throttledUsec: z.number().nullable(),
  }),
  cpuset: z.object({ cpus: z.string().nullable(), cpusEffective: z.string().nullable(), memsEffective: z.string().nullable() }),
  memory: z.object({
    current: z.number().nullable(),
    peak: z.number().nullable(),
    min: z.number().nullable(),
    low: z.number().nullable(),
    /** `max` stays a string: `max` means unlimited. */
    high: z.string().nullable(),
    max: z.string().nullable(),
    oom: z.number().nullable(),
    oomKill: z.number().nullable(),
    anon: z.number().nullable(),
    file: z.number().nullable(),
    kernel: z.number().nullable(),
  }),
  swap: z.object({ current: z.number().nullable(), peak: z.number().nullable(), max: z.string().nullable() }),
  process: z.object({ current: z.number().nullable(), peak: z.number().nullable(), max: z.string().nullable() }),
  io: z.array(z.object({ device: z.string(), readBytes: z.number(), writeBytes: z.number(), readIos: z.number(), writeIos: z.number() })),
  psi: z.object({ cpu: pressureSchema, memory: pressureSchema, io: pressureSchema }),
});
export type Cgroup = z.infer<typeof cgroupSchema>;

/** The presets `talosctl cgroups --preset` offers. */
export const CGROUP_PRESETS = ['cpu', 'cpuset', 'io', 'memory', 'process', 'psi', 'swap'] as const;
