import type { GateSpec, NodeRole } from '../../../shared/domain/operation';

/** The health gate checks a step can have; each is polled until it passes or its timeout runs out. */
export const GATES = {
  down: 'the node went down for the reboot',
  off: 'the node has shut down',
  boot: 'the node answers again with a new boot',
  version: 'the node runs the expected Talos version',
  ready: 'MachineStatus is running and ready, no unmet conditions',
  services: 'every service that was healthy before is healthy again',
  service: 'the service reached its expected state',
  etcd: 'the etcd member is healthy and the cluster has a leader',
  left: 'etcd has stopped on the node and its member is gone',
  removed: 'the member is no longer in the member list',
  alarms: 'etcd reports no alarms',
  image: 'the image is in the node’s image store',
} as const;
export type GateId = keyof typeof GATES;

export const gates = (...ids: GateId[]): GateSpec[] => ids.map((id) => ({ id, label: GATES[id] }));

export const controlPlaneGates = (role: NodeRole): GateId[] => (role === 'worker' ? [] : ['etcd']);
