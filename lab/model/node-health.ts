/** Conditions of one lab node that health evidence is computed from; scenarios and faults change them. */
export interface NodeHealth {
  /** TimeStatus `synced`; false makes MachineStatus unmet `time: time is not synced`. */
  timeSynced: boolean;
  /** TimeStatus `epoch`: +1 per clock jump of more than 15 minutes. */
  timeEpoch: number;
  /** How far the node's clock is off (TimeService/Time and TimeCheck answer with it). */
  clockOffsetMs: number;
  /** The Kubernetes node's Ready condition (NodeStatus `nodeReady`). */
  kubeNodeReady: boolean;
  /** Share of /var (EPHEMERAL) in use; null = the node's natural usage. */
  ephemeralUsed: number | null;
  /** Share of memory in use; null = the node's natural usage. */
  memoryUsed: number | null;
  /** Control-plane static pods (kube-apiserver…) whose Ready condition is False. */
  staticPodsNotReady: Set<string>;
  /** Services whose health check fails (they run, but are not healthy), with the failure text. */
  failingHealthChecks: Map<string, string>;
}

export function healthyNode(): NodeHealth {
  return {
    timeSynced: true,
    timeEpoch: 1,
    clockOffsetMs: 0,
    kubeNodeReady: true,
    ephemeralUsed: null,
    memoryUsed: null,
    staticPodsNotReady: new Set(),
    failingHealthChecks: new Map(),
  };
}
