import type { KernelRecord, TalosContainer, TalosEtcd, TalosMemory, TalosMount, TalosProcess } from '../../shared/domain/talos';
import { EtcdMemberAlarm_AlarmType } from '../../proto/gen/machine/machine';
import type { TalosClient } from '../talos/client';

const mb = (kb: string | number) => Math.round(Number(kb) / 1024);

export async function processesOf(client: TalosClient, node: string): Promise<TalosProcess[]> {
  return (await client.processes(node)).map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    state: p.state,
    threads: p.threads,
    cpuTime: p.cpuTime,
    virtualMemory: Number(p.virtualMemory),
    residentMemory: Number(p.residentMemory),
    command: p.command,
    args: p.args,
  }));
}

/** The columns `talosctl memory` prints: MemInfo kB divided by 1024. */
export async function memoryOf(client: TalosClient, node: string): Promise<TalosMemory> {
  const m = await client.memory(node);
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

export async function mountsOf(client: TalosClient, node: string): Promise<TalosMount[]> {
  return (await client.mounts(node)).map((m) => ({
    filesystem: m.filesystem,
    sizeBytes: Number(m.size),
    availableBytes: Number(m.available),
    mountedOn: m.mountedOn,
  }));
}

/** Container ids as talosctl shows pods: `<ns>/<pod>:<container>:<first 12 hex>`. */
export async function containersOf(client: TalosClient, node: string, namespace: 'system' | 'k8s.io'): Promise<TalosContainer[]> {
  return (await client.containers(node, namespace)).map((c) => ({
    namespace: c.namespace,
    id: c.id,
    displayId: c.podId && c.id !== c.name && c.id.includes(':') ? `└─ ${c.id}` : c.id,
    image: c.image,
    pid: c.pid,
    status: c.status,
    podId: c.podId,
  }));
}

const hexId = (id: string) =>
  BigInt(id || '0')
    .toString(16)
    .padStart(16, '0');

export async function etcdOf(client: TalosClient, node: string): Promise<TalosEtcd> {
  const [members, status, alarms] = await Promise.all([client.etcdMembers(node), client.etcdStatus(node), client.etcdAlarms(node)]);
  return {
    members: members.map((m) => ({
      id: hexId(m.id),
      hostname: m.hostname,
      peerUrls: m.peerUrls,
      clientUrls: m.clientUrls,
      isLearner: m.isLearner,
    })),
    status: status
      ? {
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
        }
      : null,
    alarms: alarms.map((a) => ({ memberId: hexId(a.memberId), alarm: EtcdMemberAlarm_AlarmType[a.alarm] ?? String(a.alarm) })),
  };
}

const DMESG = /^(\w+):\s*(\w+): \[([^\]]+)\]: ([\s\S]*)$/;

/** Parses `kern:    info: [2026-01-02T10:11:12.123456789Z]: message` as Talos formats kernel records. */
export function parseKernelRecord(line: string): KernelRecord {
  const m = DMESG.exec(line);
  if (!m) return { facility: '', priority: '', time: null, message: line };
  return { facility: m[1]!, priority: m[2]!, time: m[3]!, message: m[4]!.replace(/\n$/, '') };
}
