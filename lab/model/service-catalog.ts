/** Services per node type, with runners and dependencies as Talos has them (talos-testdata.md section 3). */
export interface ServiceDef {
  id: string;
  runner: 'containerd' | 'process' | 'goroutine';
  controlPlaneOnly?: boolean;
  healthCheck: boolean;
  waitingFor?: string;
}

export const SERVICES: ServiceDef[] = [
  { id: 'apid', runner: 'containerd', healthCheck: true, waitingFor: 'service "containerd" to be "up", api certificates' },
  { id: 'auditd', runner: 'goroutine', healthCheck: true },
  { id: 'containerd', runner: 'process', healthCheck: true },
  { id: 'cri', runner: 'process', healthCheck: true, waitingFor: 'network, time sync' },
  { id: 'dashboard', runner: 'process', healthCheck: false },
  {
    id: 'etcd',
    runner: 'containerd',
    controlPlaneOnly: true,
    healthCheck: true,
    waitingFor: 'service "cri" to be "up", time sync, network, etcd spec',
  },
  { id: 'kubelet', runner: 'containerd', healthCheck: true, waitingFor: 'service "cri" to be "up", time sync, network' },
  { id: 'machined', runner: 'goroutine', healthCheck: true },
  { id: 'syslogd', runner: 'goroutine', healthCheck: true },
  { id: 'trustd', runner: 'containerd', controlPlaneOnly: true, healthCheck: true, waitingFor: 'service "containerd" to be "up", network' },
  { id: 'udevd', runner: 'process', healthCheck: true },
  // a system extension (siderolabs/iscsi-tools): the only kind of service the API may also stop
  { id: 'ext-iscsid', runner: 'containerd', healthCheck: false, waitingFor: 'service "containerd" to be "up"' },
];

export const EXTRA_LOG_IDS = ['controller-runtime'];

export { serviceSupportsAction as apiActionAllowed } from '../../shared/talos-rbac';

export function runningMessage(def: ServiceDef, pid: number): string {
  if (def.runner === 'goroutine') return 'Service started as goroutine';
  if (def.runner === 'process')
    return `Process Process(["/bin/${def.id}" "--address" "/system/run/${def.id}/${def.id}.sock"]) started with PID ${pid}`;
  return `Started task ${def.id} (PID ${pid}) for container ${def.id}`;
}
