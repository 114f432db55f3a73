import {
  EtcdMemberAlarm_AlarmType,
  type ApplyConfiguration,
  type ContainerInfo,
  type EtcdMember,
  type EtcdMemberStatus,
  type FileInfo,
  type MemInfo,
  type MountStat,
  type ProcessInfo,
  type SystemStat,
} from '../../proto/gen/machine/machine';
import type { Timestamp } from '../../proto/gen/google/protobuf/timestamp';
import { timestampMs } from '../../proto/timestamps';
import type { FileEntry } from '../../shared/domain/inspect';
import type { TalosContainer, TalosEtcd, TalosMemory, TalosMount, TalosProcess } from '../../shared/domain/talos';
import { formatFileMode, formatModified } from '../../shared/file-mode';
import { isoFromMs } from '../../shared/iso-time';

/** ISO 8601 time of a Timestamp, or null for an absent or zero one. */
export function timestampIso(ts: Timestamp | undefined): string | null {
  const ms = timestampMs(ts);
  return ms === null ? null : isoFromMs(ms);
}

/**
 * The one place where proto messages become domain data: every TalosClient call returns what these give,
 * so nothing above electron/talos/ reads a generated type (64-bit strings, enums, kB) again.
 */

const mb = (kb: string | number) => Math.round(Number(kb) / 1024);
const hexId = (id: string) =>
  BigInt(id || '0')
    .toString(16)
    .padStart(16, '0');

export function toProcess(p: ProcessInfo): TalosProcess {
  return {
    pid: p.pid,
    ppid: p.ppid,
    state: p.state,
    threads: p.threads,
    cpuTime: p.cpuTime,
    virtualMemory: Number(p.virtualMemory),
    residentMemory: Number(p.residentMemory),
    command: p.command,
    args: p.args,
  };
}

/** The columns `talosctl memory` prints: MemInfo kB divided by 1024. */
export function toMemory(m: MemInfo): TalosMemory {
  const total = mb(m.memtotal);
  const free = mb(m.memfree);
  const buffers = mb(m.buffers);
  const cache = mb(m.cached);
  return {
    totalMb: total,
    usedMb: total - free - buffers - cache,
    freeMb: free,
    sharedMb: mb(m.shmem),
    buffersMb: buffers,
    cacheMb: cache,
    availableMb: mb(m.memavailable),
  };
}

/** Boot time (Unix seconds) and CPU time since boot, busy and total, from /proc/stat's `cpu` line. */
export interface NodeCpu {
  bootTime: number;
  cpuSeconds: { busy: number; total: number };
  /** Logical CPUs (one per `cpu` entry), so a load average can be read against them. */
  cpus: number;
}

export function toNodeCpu(stat: SystemStat): NodeCpu {
  const cpu = stat.cpuTotal;
  const busy = cpu ? cpu.user + cpu.nice + cpu.system + cpu.irq + cpu.softIrq + cpu.steal : 0;
  const total = cpu ? busy + cpu.idle + cpu.iowait : 0;
  return { bootTime: Number(stat.bootTime), cpuSeconds: { busy, total }, cpus: stat.cpu.length };
}

export function toMount(m: MountStat): TalosMount {
  return { filesystem: m.filesystem, sizeBytes: Number(m.size), availableBytes: Number(m.available), mountedOn: m.mountedOn };
}

/** Container ids as talosctl shows pods: `<ns>/<pod>:<container>:<first 12 hex>`. */
export function toContainer(c: ContainerInfo): TalosContainer {
  return {
    namespace: c.namespace,
    id: c.id,
    name: c.name,
    displayId: c.podId && c.id !== c.name && c.id.includes(':') ? `└─ ${c.id}` : c.id,
    image: c.image,
    pid: c.pid,
    status: c.status,
    podId: c.podId,
    networkNamespace: c.networkNamespace,
  };
}

export function toEtcdMember(m: EtcdMember): NonNullable<TalosEtcd['members']>[number] {
  return { id: hexId(m.id), hostname: m.hostname, peerUrls: m.peerUrls, clientUrls: m.clientUrls, isLearner: m.isLearner };
}

export function toEtcdStatus(status: EtcdMemberStatus | undefined): NonNullable<TalosEtcd['status']> | null {
  if (!status) return null;
  return {
    memberId: hexId(status.memberId),
    protocolVersion: status.protocolVersion,
    storageVersion: status.storageVersion,
    dbSize: Number(status.dbSize),
    dbSizeInUse: Number(status.dbSizeInUse),
    leader: hexId(status.leader),
    raftIndex: status.raftIndex,
    raftTerm: status.raftTerm,
    raftAppliedIndex: status.raftAppliedIndex,
    isLearner: status.isLearner,
    errors: status.errors,
  };
}

export function toEtcdAlarm(a: { memberId: string; alarm: number }): NonNullable<TalosEtcd['alarms']>[number] {
  return { memberId: hexId(a.memberId), alarm: EtcdMemberAlarm_AlarmType[a.alarm] ?? String(a.alarm) };
}

/** `talosctl ls -l` columns; `.` (the listed directory itself) is the caller's to drop. */
export function toFileEntry(e: FileInfo): FileEntry & { relativeName: string } {
  return {
    name: e.relativeName || e.name.slice(e.name.lastIndexOf('/') + 1),
    relativeName: e.relativeName,
    path: e.name,
    mode: formatFileMode(e.mode),
    isDir: e.isDir,
    size: Number(e.size),
    uid: e.uid,
    gid: e.gid,
    modified: formatModified(Number(e.modified)),
    modifiedAt: Number(e.modified) * 1000,
    link: e.link,
    error: e.error,
  };
}

const APPLY_MODES = ['reboot', 'auto', 'no-reboot', 'staged', 'try'];

export function toApplyResult(a: ApplyConfiguration): { mode: string; modeDetails: string; warnings: string[] } {
  return { mode: APPLY_MODES[a.mode] ?? String(a.mode), modeDetails: a.modeDetails, warnings: a.warnings };
}
