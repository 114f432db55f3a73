import type { LabNode } from './node';

/** Faults for rolling operations: each strikes when the node next boots (or at once, when asked). */
export const FAULT_KINDS = ['never-returns', 'service-unhealthy', 'etcd-no-leader'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ArmedFault {
  kind: FaultKind;
  /** service-unhealthy: the service whose health check fails (default kubelet). */
  service: string;
  struck: boolean;
}

/** How each service's health check fails, in the words Talos reports ("Health check failed: …"). */
export function healthFailure(service: string): string {
  if (service === 'kubelet') return 'Get "http://127.0.0.1:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection refused';
  if (service === 'etcd') return 'etcdserver: no leader';
  if (service === 'apid' || service === 'trustd') return `rpc error: code = Unavailable desc = ${service} is not serving`;
  return 'context deadline exceeded';
}

const armed = new WeakMap<LabNode, ArmedFault[]>();

export function faultsOf(node: LabNode): ArmedFault[] {
  let list = armed.get(node);
  if (!list) armed.set(node, (list = []));
  return list;
}

/** Applies a fault's effect to the node's conditions (not for never-returns, which acts on power-on). */
export function applyFault(node: LabNode, fault: ArmedFault): void {
  fault.struck = true;
  if (fault.kind === 'service-unhealthy') node.health.failingHealthChecks.set(fault.service, healthFailure(fault.service));
  if (fault.kind === 'etcd-no-leader') {
    node.faults.etcdNoLeader = true;
    node.health.failingHealthChecks.set('etcd', healthFailure('etcd'));
  }
}

/** Called when the machine powers on after a reboot: strikes armed faults; true = it stays dark (never returns). */
export function strikeOnPowerOn(node: LabNode): boolean {
  let staysDown = false;
  for (const fault of faultsOf(node)) {
    if (fault.kind === 'never-returns') {
      fault.struck = true;
      staysDown = true;
    } else applyFault(node, fault);
  }
  return staysDown;
}
