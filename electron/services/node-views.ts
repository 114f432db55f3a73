import type { NodeOverview } from '../../shared/domain/talos';
import type { TalosClient } from '../talos/client';
import { gather } from './partial';

/** Everything the overview card shows for one node, gathered in parallel; each part that fails is null and listed. */
export async function nodeOverview(client: TalosClient, node: string): Promise<NodeOverview> {
  const { values: v, failures } = await gather({
    Version: () => client.version(node),
    Hostname: () => client.hostname(node),
    ServiceList: () => client.services(node),
    Memory: () => client.memory(node),
    LoadAvg: () => client.loadAvg(node),
    SystemStat: () => client.systemStat(node),
    MachineType: () => client.getResource(node, 'config', 'MachineTypes.config.talos.dev', 'machine-type'),
    MachineStatus: () => client.getResource(node, 'runtime', 'MachineStatuses.runtime.talos.dev', 'machine'),
    SecurityState: () => client.getResource(node, 'runtime', 'SecurityStates.talos.dev', 'securitystate'),
    AddressStatuses: () => client.listResources(node, 'network', 'AddressStatuses.net.talos.dev'),
  });
  const st = v.MachineStatus?.spec as {
    stage?: string;
    status?: { ready?: boolean; unmetConditions?: { name: string; reason: string }[] };
  } | null;
  const sec = v.SecurityState?.spec as { secureBoot?: boolean; selinuxState?: string; fipsState?: string } | null;
  const memory = v.Memory;
  return {
    hostname: v.Hostname,
    version: v.Version,
    machineType: v.MachineType ? (typeof v.MachineType.spec === 'string' ? v.MachineType.spec : 'unknown') : null,
    status: st
      ? { stage: st.stage ?? 'unknown', ready: st.status?.ready ?? false, unmetConditions: st.status?.unmetConditions ?? [] }
      : null,
    bootTime: v.SystemStat?.bootTime ?? null,
    cpuSeconds: v.SystemStat?.cpuSeconds ?? null,
    memory: memory ? { totalMb: memory.totalMb, availableMb: memory.availableMb, usedMb: memory.totalMb - memory.availableMb } : null,
    load: v.LoadAvg,
    security: sec ? { secureBoot: sec.secureBoot ?? false, selinuxState: sec.selinuxState ?? '', fipsState: sec.fipsState ?? '' } : null,
    addresses: v.AddressStatuses
      ? v.AddressStatuses.map((a) => (a.spec as { address?: string })?.address ?? a.id).filter((a) => !a.startsWith('127.'))
      : null,
    failingServices: v.ServiceList ? v.ServiceList.filter((s) => s.state !== 'Running' || s.health === 'fail').map((s) => s.id) : null,
    failures,
  };
}

/** etcd as one node sees it: members, its own status and the cluster's alarms, each kept when the others fail. */
export async function nodeEtcd(client: TalosClient, node: string) {
  const { values, failures } = await gather({
    EtcdMemberList: () => client.etcdMembers(node),
    EtcdStatus: () => client.etcdStatus(node),
    EtcdAlarmList: () => client.etcdAlarms(node),
  });
  return { members: values.EtcdMemberList, status: values.EtcdStatus, alarms: values.EtcdAlarmList, failures };
}
