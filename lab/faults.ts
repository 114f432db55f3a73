import { refreshMachineStatus } from './model/health-resources';
import { FAULT_KINDS, applyFault, faultsOf, healthFailure, type ArmedFault, type FaultKind } from './model/fault-state';
import type { LabNode } from './model/node';
import { powerOn } from './server/sequences';

export { FAULT_KINDS, type FaultKind };

export interface FaultRequest {
  /** IP or hostname. */
  node: string;
  kind: FaultKind;
  /** service-unhealthy: which service (default kubelet). */
  service?: string;
  /** Strike now on the running node instead of at its next boot (never-returns: the machine dies now). */
  now?: boolean;
}

export interface InjectedFault {
  node: { ip: string; hostname: string };
  kind: FaultKind;
  service: string;
  summary: string;
}

const SUMMARY: Record<FaultKind, (service: string) => string> = {
  'never-returns': () => 'does not come back after its next reboot or upgrade (stays unreachable)',
  'service-unhealthy': (service) => `${service} runs but fails its health check after the next boot`,
  'etcd-no-leader': () => 'its etcd member loses the leader after the next boot (EtcdStatus leader 0, etcd unhealthy)',
};

/** Arms a fault on a node (see FAULT_KINDS); with `now`, it strikes the running node at once. */
export function injectFault(node: LabNode, request: Omit<FaultRequest, 'node'>): InjectedFault {
  if (!FAULT_KINDS.includes(request.kind))
    throw new Error(`unknown fault "${String(request.kind)}" (choose one of ${FAULT_KINDS.join(', ')})`);
  if (request.kind === 'etcd-no-leader' && node.id.type !== 'controlplane')
    throw new Error(`etcd-no-leader needs a control plane; ${node.id.hostname} is a worker`);
  const service = request.kind === 'etcd-no-leader' ? 'etcd' : (request.service ?? 'kubelet');
  if (request.kind === 'service-unhealthy' && !node.serviceDefs().some((d) => d.id === service && d.healthCheck))
    throw new Error(`${node.id.hostname} has no service "${service}" with a health check`);
  const fault: ArmedFault = { kind: request.kind, service, struck: false };
  faultsOf(node).push(fault);
  if (request.now) {
    if (fault.kind === 'never-returns') {
      fault.struck = true;
      node.down = true;
      node.poweredOffAt = node.now();
      node.cutStreams('machine died');
    } else {
      applyFault(node, fault);
      const svc = node.services.get(service);
      if (svc?.state === 'Running')
        node.setServiceState(service, 'Running', `Health check failed: ${healthFailure(service)}`, '', node.now(), { healthy: false });
      refreshMachineStatus(node);
    }
  }
  return { node: { ip: node.id.ip, hostname: node.id.hostname }, kind: fault.kind, service, summary: SUMMARY[fault.kind](service) };
}

/** Disarms and heals every fault of the node: health checks pass again, a node kept dark boots. */
export function clearFaults(node: LabNode): void {
  const faults = faultsOf(node).splice(0);
  let boot = false;
  for (const fault of faults) {
    if (fault.kind === 'never-returns') boot ||= fault.struck && node.down;
    if (fault.kind === 'etcd-no-leader') node.faults.etcdNoLeader = false;
    if (fault.kind !== 'never-returns' && fault.struck) {
      node.health.failingHealthChecks.delete(fault.service);
      if (node.services.get(fault.service)?.state === 'Running')
        node.setServiceState(fault.service, 'Running', 'Health check successful', '', node.now(), { healthy: true });
    }
  }
  if (boot) powerOn(node);
  else refreshMachineStatus(node);
}

export function armedFaults(node: LabNode): { kind: FaultKind; service: string; struck: boolean }[] {
  return faultsOf(node).map((f) => ({ ...f }));
}

/** `NODE:KIND[=SERVICE]`, as the CLI's --fault takes it. */
export function parseFaultArg(arg: string): FaultRequest {
  const match = /^([\w.-]+):([a-z-]+)(?:=([\w-]+))?$/.exec(arg);
  if (!match || !FAULT_KINDS.includes(match[2] as FaultKind))
    throw new Error(`--fault ${arg}: expected NODE:KIND[=SERVICE] with KIND one of ${FAULT_KINDS.join(', ')}`);
  if (match[3] && match[2] !== 'service-unhealthy') throw new Error(`--fault ${arg}: only service-unhealthy takes =SERVICE`);
  return { node: match[1]!, kind: match[2] as FaultKind, ...(match[3] ? { service: match[3] } : {}) };
}
