import type { NodeOverview } from '../../shared/domain/talos';
import type { TalosClient } from '../talos/client';

/** Everything the overview card shows for one node, gathered in parallel; optional parts degrade to null. */
export async function nodeOverview(client: TalosClient, node: string): Promise<NodeOverview> {
  const optional = <T>(p: Promise<T>) => p.catch(() => null);
  const [version, hostname, services, memory, load, stat, machineType, status, security, addresses] = await Promise.all([
    client.version(node),
    client.hostname(node),
    client.services(node),
    client.memory(node),
    client.loadAvg(node),
    client.systemStat(node),
    optional(client.getResource(node, 'config', 'MachineTypes.config.talos.dev', 'machine-type')),
    optional(client.getResource(node, 'runtime', 'MachineStatuses.runtime.talos.dev', 'machine')),
    optional(client.getResource(node, 'runtime', 'SecurityStates.talos.dev', 'securitystate')),
    optional(client.listResources(node, 'network', 'AddressStatuses.net.talos.dev')),
  ]);
  const cpu = stat.cpuTotal;
  const busy = cpu ? cpu.user + cpu.nice + cpu.system + cpu.irq + cpu.softIrq + cpu.steal : 0;
  const total = cpu ? busy + cpu.idle + cpu.iowait : 0;
  const mb = (kb: string) => Math.round(Number(kb) / 1024);
  const st = status?.spec as { stage?: string; status?: { ready?: boolean; unmetConditions?: { name: string; reason: string }[] } } | null;
  const sec = security?.spec as { secureBoot?: boolean; selinuxState?: string; fipsState?: string } | null;
  return {
    hostname,
    version,
    machineType: typeof machineType?.spec === 'string' ? machineType.spec : 'unknown',
    status: st
      ? { stage: st.stage ?? 'unknown', ready: st.status?.ready ?? false, unmetConditions: st.status?.unmetConditions ?? [] }
      : null,
    bootTime: Number(stat.bootTime),
    cpuSeconds: { busy, total },
    memory: { totalMb: mb(memory.memtotal), availableMb: mb(memory.memavailable), usedMb: mb(memory.memtotal) - mb(memory.memavailable) },
    load,
    security: sec ? { secureBoot: sec.secureBoot ?? false, selinuxState: sec.selinuxState ?? '', fipsState: sec.fipsState ?? '' } : null,
    addresses: (addresses ?? []).map((a) => (a.spec as { address?: string })?.address ?? a.id).filter((a) => !a.startsWith('127.')),
    failingServices: services.filter((s) => s.state !== 'Running' || s.health === 'fail').map((s) => s.id),
  };
}
