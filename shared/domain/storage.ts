import { z } from 'zod';

/** `Disks.block.talos.dev`: a block device (`talosctl get disks`). */
export const diskSchema = z.object({
  id: z.string(),
  devPath: z.string(),
  sizeBytes: z.number(),
  prettySize: z.string(),
  model: z.string(),
  serial: z.string(),
  wwid: z.string(),
  transport: z.string(),
  rotational: z.boolean(),
  readonly: z.boolean(),
  cdrom: z.boolean(),
  busPath: z.string(),
});
export type Disk = z.infer<typeof diskSchema>;

/** `DiscoveredVolumes.block.talos.dev`: what probing found on a disk or partition. */
export const discoveredVolumeSchema = z.object({
  id: z.string(),
  devPath: z.string(),
  type: z.string(),
  parent: z.string().nullable(),
  sizeBytes: z.number(),
  prettySize: z.string(),
  /** The probed content: `gpt`, `xfs`, `vfat`, `talosmeta`… or empty. */
  filesystem: z.string(),
  label: z.string(),
  partitionLabel: z.string(),
  partitionIndex: z.number().nullable(),
});
export type DiscoveredVolume = z.infer<typeof discoveredVolumeSchema>;

/** One line of `talosctl usage`: an apparent size (directories include their contents). */
export const diskUsageEntrySchema = z.object({
  name: z.string(),
  relativeName: z.string(),
  sizeBytes: z.number(),
  error: z.string().nullable(),
});
export type DiskUsageEntry = z.infer<typeof diskUsageEntrySchema>;

export const diskUsageQuerySchema = z.object({
  paths: z.array(z.string().startsWith('/')).min(1).default(['/']),
  /** talosctl's `-d`: 0 = only the paths' totals (talosctl sends depth + 1). */
  depth: z.number().int().min(0).default(0),
  /** Files too, not only directories (`-a`). */
  all: z.boolean().default(false),
  /** Positive: drop entries smaller than this; negative: drop larger ones (`-t`). */
  threshold: z.number().int().default(0),
});
export type DiskUsageQuery = z.input<typeof diskUsageQuerySchema>;

/** Cumulative I/O counters of one device (DiskStats, `talosctl support`'s `io`). */
export const diskIoSchema = z.object({
  name: z.string(),
  readsCompleted: z.number(),
  readSectors: z.number(),
  writesCompleted: z.number(),
  writeSectors: z.number(),
  ioInProgress: z.number(),
  ioTimeMs: z.number(),
});
export type DiskIo = z.infer<typeof diskIoSchema>;

/** `talosctl stats [-k]`: memory is the working set in bytes, CPU the cumulative time in nanoseconds. */
export const containerStatSchema = z.object({
  namespace: z.string(),
  id: z.string(),
  name: z.string(),
  podId: z.string(),
  memoryBytes: z.number(),
  cpuNanoseconds: z.number(),
});
export type ContainerStat = z.infer<typeof containerStatSchema>;

/** A copied archive written to disk (`talosctl copy`). */
export const copyResultSchema = z.object({ path: z.string(), sizeBytes: z.number(), sha256: z.string() });
export type CopyResult = z.infer<typeof copyResultSchema>;
