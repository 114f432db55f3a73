import { Empty } from '../../../proto/gen/google/protobuf/empty';
import { MachineServiceService as M, type DiskStat } from '../../../proto/gen/machine/machine';
import type { ContainerStat, DiskIo } from '../../../shared/domain/storage';
import type { TalosClient } from '../client';

const io = (d: DiskStat): DiskIo => ({
  name: d.name,
  readsCompleted: Number(d.readCompleted),
  readSectors: Number(d.readSectors),
  writesCompleted: Number(d.writeCompleted),
  writeSectors: Number(d.writeSectors),
  ioInProgress: Number(d.ioInProgress),
  ioTimeMs: Number(d.ioTimeMs),
});

/** Container stats (`talosctl stats [-k]`) and disk I/O counters. */
export class StatsCalls {
  constructor(private readonly client: TalosClient) {}

  /** Talos services (`system`, containerd) or Kubernetes containers (`k8s.io`, CRI). */
  async containers(node: string, namespace: 'system' | 'k8s.io'): Promise<ContainerStat[]> {
    const response = await this.client.connection.unary(M.stats, { namespace, driver: namespace === 'k8s.io' ? 1 : 0 }, node);
    return (response.messages[0]?.stats ?? []).map((s) => ({
      namespace: s.namespace,
      id: s.id,
      name: s.name,
      podId: s.podId,
      memoryBytes: Number(s.memoryUsage),
      cpuNanoseconds: Number(s.cpuUsage),
    }));
  }

  /** Per-device counters; `total` sums them. */
  async diskStats(node: string): Promise<{ total: DiskIo | null; devices: DiskIo[] }> {
    const d = (await this.client.connection.unary(M.diskStats, Empty.fromPartial({}), node)).messages[0];
    return { total: d?.total ? io(d.total) : null, devices: (d?.devices ?? []).map(io) };
  }
}
