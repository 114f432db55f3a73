/** The talosctl command line equivalent to each call Nodeglass makes, for teach mode and the audit trail. */
export interface CommandTarget {
  context: string;
  nodes: string[];
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

function base(target: CommandTarget): string {
  const parts = ['talosctl', '--context', quote(target.context)];
  if (target.nodes.length) parts.push('-n', quote(target.nodes.join(',')));
  return parts.join(' ');
}

/** A Go-style duration as talosctl flags take it: 1h, 90m, 45s. */
export function goDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export const talosctl = {
  version: (t: CommandTarget) => `${base(t)} version`,
  services: (t: CommandTarget) => `${base(t)} services`,
  service: (t: CommandTarget, id: string) => `${base(t)} service ${quote(id)}`,
  serviceAction: (t: CommandTarget, id: string, action: 'start' | 'stop' | 'restart') => `${base(t)} service ${quote(id)} ${action}`,
  dashboard: (t: CommandTarget) => `${base(t)} dashboard`,
  memory: (t: CommandTarget) => `${base(t)} memory`,
  processes: (t: CommandTarget, sort: 'cpu' | 'rss' = 'cpu') => `${base(t)} processes -s ${sort}`,
  mounts: (t: CommandTarget) => `${base(t)} mounts`,
  containers: (t: CommandTarget, k8s: boolean) => `${base(t)} containers${k8s ? ' -k' : ''}`,
  events: (t: CommandTarget, tail = -1) => `${base(t)} events --tail ${tail}`,
  dmesg: (t: CommandTarget, follow: boolean) => `${base(t)} dmesg${follow ? ' -f' : ''}`,
  logs: (t: CommandTarget, id: string, o: { follow?: boolean; tail?: number; k8s?: boolean } = {}) =>
    `${base(t)} logs${o.k8s ? ' -k' : ''} ${quote(id)}${o.follow ? ' -f' : ''}${o.tail !== undefined && o.tail !== -1 ? ` --tail ${o.tail}` : ''}`,
  etcdMembers: (t: CommandTarget) => `${base(t)} etcd members`,
  etcdStatus: (t: CommandTarget) => `${base(t)} etcd status`,
  etcdAlarms: (t: CommandTarget) => `${base(t)} etcd alarm list`,
  get: (t: CommandTarget, type: string, id?: string, o: { watch?: boolean; yaml?: boolean } = {}) =>
    `${base(t)} get ${quote(type)}${id ? ` ${quote(id)}` : ''}${o.yaml ? ' -o yaml' : ''}${o.watch ? ' -w' : ''}`,
  ls: (t: CommandTarget, path: string) => `${base(t)} ls -l ${quote(path)}`,
  read: (t: CommandTarget, path: string) => `${base(t)} read ${quote(path)}`,
  reboot: (t: CommandTarget, mode: 'default' | 'powercycle' | 'force' = 'default') =>
    `${base(t)} reboot${mode === 'default' ? '' : ` --mode ${mode}`}`,
  shutdown: (t: CommandTarget, force = false) => `${base(t)} shutdown${force ? ' --force' : ''}`,
  upgrade: (
    t: CommandTarget,
    image: string,
    o: { stage?: boolean; force?: boolean; preserve?: boolean; rebootMode?: 'default' | 'powercycle' } = {},
  ) =>
    `${base(t)} upgrade --image ${quote(image)}${o.stage ? ' --stage' : ''}${o.force ? ' --force' : ''}${o.preserve ? ' --preserve' : ''}${o.rebootMode === 'powercycle' ? ' --reboot-mode powercycle' : ''}`,
  applyConfig: (t: CommandTarget, file: string, mode: string, dryRun: boolean, tryTimeoutSeconds?: number) =>
    `${base(t)} apply-config -f ${quote(file)} --mode ${mode}${mode === 'try' && tryTimeoutSeconds ? ` --timeout ${goDuration(tryTimeoutSeconds)}` : ''}${dryRun ? ' --dry-run' : ''}`,
  machineStatus: (t: CommandTarget, watch = false) => `${base(t)} get machinestatus${watch ? ' -w' : ''}`,
  timeStatus: (t: CommandTarget) => `${base(t)} get timestatus`,
  staticPodStatuses: (t: CommandTarget) => `${base(t)} get staticpodstatus`,
  members: (t: CommandTarget) => `${base(t)} get members`,
  etcdMember: (t: CommandTarget) => `${base(t)} get etcdmember`,
  nodeStatuses: (t: CommandTarget) => `${base(t)} get nodestatus`,
  diagnostics: (t: CommandTarget) => `${base(t)} get diagnostics`,
  volumeStatuses: (t: CommandTarget) => `${base(t)} get volumestatus`,
  mountStatuses: (t: CommandTarget) => `${base(t)} get mounts`,
  health: (t: CommandTarget) => `${base(t)} health --server=false`,
  configNew: (t: CommandTarget, path: string, roles: string[], ttlSeconds: number) =>
    `${base(t)} config new ${quote(path)} --roles ${quote(roles.join(','))} --crt-ttl ${goDuration(ttlSeconds)}`,
  configContext: (name: string) => `talosctl config context ${quote(name)}`,
  configRemove: (name: string) => `talosctl config remove ${quote(name)}`,
  timeCheck: (t: CommandTarget, server: string) => `${base(t)} time --check ${quote(server)}`,
  securityState: (t: CommandTarget) => `${base(t)} get securitystate`,
  extensions: (t: CommandTarget) => `${base(t)} get extensions`,
  kernelParams: (t: CommandTarget) => `${base(t)} get kernelparamstatus`,
  kernelCmdline: (t: CommandTarget) => `${base(t)} get cmdline`,
  sbom: (t: CommandTarget) => `${base(t)} get sbom`,
  /** talosctl shows connected sockets unless told -a (all) or -l (listening); -k adds pod namespaces. */
  netstat: (t: CommandTarget, o: { filter?: 'all' | 'listening' | 'connected'; pods?: boolean; programs?: boolean } = {}) =>
    `${base(t)} netstat${o.filter === 'all' ? ' -a' : o.filter === 'listening' ? ' -l' : ''}${o.programs === false ? '' : ' -p'}${o.pods ? ' -k' : ''}`,
  imageList: (t: CommandTarget, store: 'cri' | 'system' | 'inmem' = 'cri') =>
    `${base(t)} image list${store === 'cri' ? '' : ` --namespace ${store}`}`,
  imagePull: (t: CommandTarget, ref: string, store: 'cri' | 'system' | 'inmem' = 'cri') =>
    `${base(t)} image pull${store === 'cri' ? '' : ` --namespace ${store}`} ${quote(ref)}`,
  etcdSnapshot: (t: CommandTarget, path: string) => `${base(t)} etcd snapshot ${quote(path)}`,
  etcdDefrag: (t: CommandTarget) => `${base(t)} etcd defrag`,
  etcdAlarmDisarm: (t: CommandTarget) => `${base(t)} etcd alarm disarm`,
  etcdLeave: (t: CommandTarget) => `${base(t)} etcd leave`,
  etcdForfeitLeadership: (t: CommandTarget) => `${base(t)} etcd forfeit-leadership`,
  etcdRemoveMember: (t: CommandTarget, hexId: string) => `${base(t)} etcd remove-member ${quote(hexId)}`,
  bootstrap: (t: CommandTarget, o: { recoverFrom?: string; skipHashCheck?: boolean } = {}) =>
    `${base(t)} bootstrap${o.recoverFrom ? ` --recover-from ${quote(o.recoverFrom)}` : ''}${o.skipHashCheck ? ' --recover-skip-hash-check' : ''}`,
  reset: (
    t: CommandTarget,
    o: { graceful: boolean; reboot: boolean; mode: 'all' | 'system-disk' | 'user-disks'; systemLabels: string[]; userDisks: string[] },
  ) =>
    `${base(t)} reset${o.graceful ? '' : ' --graceful=false'}${o.reboot ? ' --reboot' : ''}${o.mode === 'all' ? '' : ` --wipe-mode ${o.mode}`}${o.systemLabels.length ? ` --system-labels-to-wipe ${quote(o.systemLabels.join(','))}` : ''}${o.userDisks.length ? ` --user-disks-to-wipe ${quote(o.userDisks.join(','))}` : ''}`,
  rollback: (t: CommandTarget) => `${base(t)} rollback`,
  kubeconfig: (t: CommandTarget, path: string) => `${base(t)} kubeconfig ${quote(path)}`,
  /** --duration is a Go duration; without -o talosctl writes to stdout. */
  pcap: (t: CommandTarget, o: { iface: string; filter: string; seconds: number; promiscuous: boolean; output: string }) =>
    `${base(t)} pcap -i ${quote(o.iface)}${o.promiscuous ? ' --promiscuous' : ''}${o.filter.trim() && !o.filter.includes('{') ? ` --bpf-filter ${quote(o.filter.trim())}` : ''} --duration ${goDuration(o.seconds)} -o ${quote(o.output)}`,
  copy: (t: CommandTarget, path: string, output: string) => `${base(t)} copy ${quote(path)} - > ${quote(output)}`,
  usage: (t: CommandTarget, paths: string[], o: { depth: number; all: boolean; threshold: number }) =>
    `${base(t)} usage${o.all ? ' -a' : ''}${o.depth ? ` -d ${o.depth}` : ''}${o.threshold ? ` -t ${o.threshold}` : ''} ${paths.map(quote).join(' ')}`,
  cgroups: (t: CommandTarget, preset: string) => `${base(t)} cgroups --preset ${quote(preset)}`,
  stats: (t: CommandTarget, k8s: boolean) => `${base(t)} stats${k8s ? ' -k' : ''}`,
  disks: (t: CommandTarget) => `${base(t)} get disks`,
  volumes: (t: CommandTarget) => `${base(t)} get volumestatus`,
  addresses: (t: CommandTarget) => `${base(t)} get addresses`,
  links: (t: CommandTarget) => `${base(t)} get links`,
  routes: (t: CommandTarget) => `${base(t)} get routes`,
  support: (t: CommandTarget, output: string) => `${base(t)} support --no-encryption -O ${quote(output)}`,
  patchMachineConfig: (t: CommandTarget, file: string, mode: string, dryRun: boolean, tryTimeoutSeconds?: number) =>
    `${base(t)} patch mc --patch @${quote(file)} --mode ${mode}${mode === 'try' && tryTimeoutSeconds ? ` --timeout ${goDuration(tryTimeoutSeconds)}` : ''}${dryRun ? ' --dry-run' : ''}`,
};
