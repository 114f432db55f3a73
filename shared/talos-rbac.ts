/** Who may call what: the Talos rules map (talos-api.md section 9). Methods not listed need os:admin. */
const A = 'os:admin';
const O = 'os:operator';
const R = 'os:reader';
const E = 'os:etcd:backup';

const READ = [A, O, R];
const RULES: Record<string, string[]> = {};
const set = (roles: string[], methods: string[]) => methods.forEach((m) => (RULES[m] = roles));

set(READ, [
  '/machine.MachineService/Version',
  '/machine.MachineService/Hostname',
  '/machine.MachineService/ServiceList',
  '/machine.MachineService/Logs',
  '/machine.MachineService/LogsContainers',
  '/machine.MachineService/Dmesg',
  '/machine.MachineService/List',
  '/machine.MachineService/DiskUsage',
  '/machine.MachineService/Processes',
  '/machine.MachineService/Memory',
  '/machine.MachineService/LoadAvg',
  '/machine.MachineService/CPUInfo',
  '/machine.MachineService/CPUFreqStats',
  '/machine.MachineService/SystemStat',
  '/machine.MachineService/NetworkDeviceStats',
  '/machine.MachineService/DiskStats',
  '/machine.MachineService/Mounts',
  '/machine.MachineService/Containers',
  '/machine.MachineService/Stats',
  '/machine.MachineService/Events',
  '/machine.MachineService/Netstat',
  '/machine.MachineService/ImageList',
  '/machine.ImageService/List',
  '/time.TimeService/Time',
  '/time.TimeService/TimeCheck',
  '/cluster.ClusterService/HealthCheck',
  '/inspect.InspectService/ControllerRuntimeDependencies',
  '/storage.StorageService/Disks',
  '/machine.StorageService/Statfs',
  '/cosi.resource.State/Get',
  '/cosi.resource.State/List',
  '/cosi.resource.State/Watch',
]);
set(
  [A, O, R, E],
  ['/machine.MachineService/EtcdMemberList', '/machine.MachineService/EtcdStatus', '/machine.MachineService/EtcdAlarmList'],
);
set([A, O, E], ['/machine.MachineService/EtcdSnapshot']);
set(
  [A, O],
  [
    '/machine.MachineService/Reboot',
    '/machine.MachineService/Shutdown',
    '/machine.MachineService/ServiceStart',
    '/machine.MachineService/ServiceStop',
    '/machine.MachineService/ServiceRestart',
    '/machine.MachineService/Restart',
    '/machine.MachineService/EtcdAlarmDisarm',
    '/machine.MachineService/EtcdDefragment',
    '/machine.MachineService/PacketCapture',
    '/machine.MachineService/ImagePull',
    '/machine.ImageService/Pull',
  ],
);
// The rule lists os:reader for maintenance mode, but the handler itself requires os:admin on a configured node.
set([A, R], ['/machine.MachineService/ApplyConfiguration']);

export function allowedRoles(method: string): string[] {
  return RULES[method] ?? [A];
}

export function isAuthorized(method: string, roles: string[]): boolean {
  const allowed = allowedRoles(method);
  return roles.some((r) => allowed.includes(r));
}

/** The service action methods the UI offers, by action. */
export const SERVICE_ACTION_METHOD = {
  start: '/machine.MachineService/ServiceStart',
  stop: '/machine.MachineService/ServiceStop',
  restart: '/machine.MachineService/ServiceRestart',
} as const;

/** Why a role cannot call a method, or null when it can: "needs os:operator or os:admin; this identity has os:reader". */
export function roleBlockReason(method: string, roles: string[]): string | null {
  if (isAuthorized(method, roles)) return null;
  const needed = allowedRoles(method).filter((r) => r !== 'os:reader' || !method.endsWith('ApplyConfiguration'));
  return `needs ${needed.join(' or ')}; this identity has ${roles.join(', ') || 'no roles'}`;
}

/** Talos allows API start/restart for kubelet, and start/stop/restart for extension services (`ext-*`). */
export function serviceSupportsAction(id: string, action: 'start' | 'stop' | 'restart'): boolean {
  if (id.startsWith('ext-')) return true;
  return id === 'kubelet' && action !== 'stop';
}

/** Why a service action is unavailable (Talos' rule first, then the role), or null when it may run. */
export function serviceActionBlock(id: string, action: 'start' | 'stop' | 'restart', roles: string[]): string | null {
  if (!serviceSupportsAction(id, action)) {
    return id === 'kubelet'
      ? 'Talos does not allow stopping kubelet through the API'
      : `Talos allows ${action} through the API only for kubelet and extension services (ext-*)`;
  }
  return roleBlockReason(SERVICE_ACTION_METHOD[action], roles);
}
