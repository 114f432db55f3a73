import * as grpc from '@grpc/grpc-js';
import type { DiskStat, MachineServiceServer, Stat, StatsRequest } from '../../proto/gen/machine/machine';
import { BLOCK_DEVICES } from '../model/cgroups';
import type { LabNode } from '../model/node';
import { containers } from '../model/node-stats';
import { GrpcError, type Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { machineKit } from './machine-kit';

/** CPU cores and working-set MiB per container name (the app containers; sandboxes idle). */
const LOAD: Record<string, [number, number]> = {
  'kube-apiserver': [0.08, 380],
  'kube-controller-manager': [0.02, 95],
  'kube-scheduler': [0.008, 40],
  'kube-proxy': [0.004, 28],
  'kube-flannel': [0.002, 22],
  coredns: [0.003, 18],
  etcd: [0.04, 150],
  kubelet: [0.03, 90],
  apid: [0.004, 40],
  trustd: [0.001, 20],
};

/**
 * Stats as the CRI reports them: `memory_usage` the working set in bytes, `cpu_usage` cumulative CPU time in
 * nanoseconds (it only grows while the container runs).
 */
function stats(node: LabNode, namespace: string): Stat[] {
  const uptime = Math.max(1, (node.now() - node.bootTime) / 1000);
  return containers(node, namespace)
    .filter((c) => c.status !== 'SANDBOX_READY' && c.pid !== 0)
    .map((c) => {
      const [cores, mib] = LOAD[c.name] ?? [0.001, 8];
      const jitter = 1 + 0.05 * Math.sin(node.now() / 7000 + c.pid);
      return {
        namespace: c.namespace,
        id: c.id,
        memoryUsage: String(Math.round(mib * jitter * 1024 * 1024)),
        cpuUsage: String(Math.floor(uptime * cores * 1e9)),
        podId: c.podId,
        name: c.name,
      };
    });
}

/** Cumulative counters of the node's disks, growing with uptime (`talosctl support` writes them as `io`). */
function diskStats(node: LabNode): { total: DiskStat; devices: DiskStat[] } {
  const uptime = Math.max(1, (node.now() - node.bootTime) / 1000);
  const row = (name: string, weight: number): DiskStat => {
    const reads = Math.floor(uptime * 3 * weight);
    const writes = Math.floor(uptime * 9 * weight);
    return {
      name,
      readCompleted: String(reads),
      readMerged: String(Math.floor(reads / 10)),
      readSectors: String(reads * 64),
      readTimeMs: String(Math.floor(reads / 4)),
      writeCompleted: String(writes),
      writeMerged: String(Math.floor(writes / 3)),
      writeSectors: String(writes * 24),
      writeTimeMs: String(Math.floor(writes / 2)),
      ioInProgress: '0',
      ioTimeMs: String(Math.floor((reads + writes) / 5)),
      ioTimeWeightedMs: String(Math.floor((reads + writes) / 3)),
      discardCompleted: '0',
      discardMerged: '0',
      discardSectors: '0',
      discardTimeMs: '0',
    };
  };
  const weights: Record<string, number> = { vda: 1, vda4: 0.001, vda5: 0.01, vda6: 0.95, loop0: 0.001 };
  const devices = BLOCK_DEVICES.map((d) => row(d.name, weights[d.name] ?? 0.001));
  const sum = (k: keyof DiskStat) => String(devices.reduce((n, d) => n + Number(d[k]), 0));
  const total = row('', 0);
  for (const k of Object.keys(total) as (keyof DiskStat)[]) if (k !== 'name') total[k] = sum(k);
  return { total, devices };
}

/** Stats (talosctl stats [-k]) and DiskStats. */
export function statsHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  const kit = machineKit(router, hooks);
  return {
    stats: kit.unary('Stats', (node, req: StatsRequest) => {
      if (!req.namespace) throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'namespace is required');
      if (req.driver === 1 && req.namespace !== 'k8s.io')
        throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'CRI driver requires namespace k8s.io');
      return { messages: [{ metadata: undefined, stats: stats(node, req.namespace) }] };
    }),
    diskStats: kit.unary('DiskStats', (node) => ({ messages: [{ metadata: undefined, ...diskStats(node) }] })),
  };
}
