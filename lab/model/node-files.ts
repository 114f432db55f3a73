import { populateCgroups } from './cgroups';
import { kernelCmdline } from './compliance-resources';
import { populateEtcdData } from './etcd-membership';
import { profileOf } from './node-profile';
import type { LabNode } from './node';

/** The newest lines of a log, generated up to now. */
function logTail(node: LabNode, id: string, lines: number): string {
  const source = node.logs.get(id);
  if (!source) return '';
  node.catchUp(source);
  return source.buffer.tail(lines);
}

/** The part of a Talos root file system the lab exposes through List and Read. */
export function populateFiles(node: LabNode): void {
  const f = node.files;
  const boot = node.bootTime;
  f.dir('/etc', 0o755, boot);
  f.file('/etc/hostname', () => `${node.id.hostname}\n`, 0o644, boot);
  f.file(
    '/etc/hosts',
    () => `127.0.0.1 localhost\n${node.id.ip} ${node.id.hostname}\n::1 localhost ip6-localhost ip6-loopback\n`,
    0o644,
    boot,
  );
  f.file('/etc/resolv.conf', () => 'nameserver 127.0.0.53\nsearch .\n', 0o644, boot);
  f.file(
    '/etc/os-release',
    () =>
      `NAME="Talos"\nID=talos\nVERSION_ID=${node.talosVersion}\nPRETTY_NAME="Talos (${node.talosVersion})"\nHOME_URL="https://www.talos.dev/"\n`,
    0o444,
    boot,
  );
  f.dir('/etc/kubernetes', 0o700, boot);
  f.file('/etc/kubernetes/kubeconfig-kubelet', () => 'apiVersion: v1\nkind: Config\nclusters: []\n', 0o600, boot);
  f.symlink('/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/certs/ca-certificates');
  f.dir('/var/log', 0o755, boot);
  f.dir('/var/log/audit', 0o700, boot);
  f.file('/var/log/audit/audit.log', () => logTail(node, 'auditd', 50), 0o600, boot);
  f.dir('/var/log/pods', 0o755, boot);
  f.dir('/var/log/containers', 0o755, boot);
  for (const c of node.k8sContainers()) {
    const name = `${c.pod.replace('/', '_')}_${node.rng.hex(8)}`;
    f.dir(`/var/log/pods/${name}`, 0o755, boot);
    f.file(`/var/log/pods/${name}/${c.name}/0.log`, () => logTail(node, c.logId, 100), 0o640, boot);
  }
  // A file over Nodeglass' 4 MiB read cap, so the "too large" path can be practised.
  f.file(
    '/var/log/kmsg-archive.log',
    () => 'kern:    info: archived kernel record padding line for size tests\n'.repeat(80_000),
    0o640,
    boot,
  );
  f.dir('/var/lib/kubelet', 0o700, boot);
  f.dir('/system/state', 0o700, boot);
  f.file('/system/state/config.yaml', () => node.config.persistent, 0o600, boot);
  f.dir('/proc/sys/kernel/random', 0o555, boot);
  f.file('/proc/sys/kernel/random/boot_id', () => `${node.bootId}\n`, 0o444, boot);
  f.file('/proc/loadavg', () => '0.42 0.35 0.30 2/512 4242\n', 0o444, boot);
  f.file('/proc/uptime', () => `${((node.now() - node.bootTime) / 1000).toFixed(2)} 1000.00\n`, 0o444, boot);
  f.file('/proc/cmdline', () => `${kernelCmdline(profileOf(node))}\n`, 0o444, boot);
  populateCgroups(node);
  populateEtcdData(node);
}
