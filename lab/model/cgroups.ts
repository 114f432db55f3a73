import type { LabNode } from './node';
import { containers, processes } from './node-stats';

/** One cgroup the node keeps, with what it holds and how busy it is. */
interface Cgroup {
  path: string;
  pids: number[];
  /** CPU cores it uses on average. */
  cores: number;
  memoryBytes: number;
  weight: number;
  memoryMin?: number;
  memoryMax?: number;
  /** Talos sets `memory.swap.max` 0 on its own cgroups. */
  noSwap?: boolean;
  qos?: 'burstable' | 'besteffort';
}

const MiB = 1024 * 1024;

/** Block devices by major:minor, as /sys/dev/block links them (virtio-blk is major 253). */
export const BLOCK_DEVICES: { dev: string; name: string; parent?: string }[] = [
  { dev: '253:0', name: 'vda' },
  ...[1, 2, 3, 4, 5, 6].map((n) => ({ dev: `253:${n}`, name: `vda${n}`, parent: 'vda' })),
  { dev: '7:0', name: 'loop0' },
];

/**
 * Talos' cgroup v2 tree (constants.Cgroup*): /init for machined, /system/* for Talos services,
 * /podruntime/{runtime,kubelet,etcd} for Kubernetes' runtime, /kubepods/<qos>/pod<uid>/<container>.
 */
function cgroupsOf(node: LabNode): Cgroup[] {
  const pid = new Map(processes(node).map((p) => [p.command, p.pid]));
  const p = (...names: string[]) => names.map((n) => pid.get(n)).filter((n): n is number => n !== undefined);
  const cp = node.id.type === 'controlplane';
  const out: Cgroup[] = [
    { path: '/init', pids: p('init', 'machined'), cores: 0.03, memoryBytes: 160 * MiB, weight: 79, memoryMin: 96 * MiB, noSwap: true },
    { path: '/system', pids: [], cores: 0, memoryBytes: 0, weight: 79 },
    { path: '/system/apid', pids: p('apid'), cores: 0.004, memoryBytes: 60 * MiB, weight: 20, memoryMin: 32 * MiB, noSwap: true },
    { path: '/system/dashboard', pids: [], cores: 0.002, memoryBytes: 40 * MiB, weight: 4, memoryMax: 196 * MiB, noSwap: true },
    { path: '/system/extensions', pids: [], cores: 0, memoryBytes: 0, weight: 100 },
    { path: '/system/runtime', pids: p('containerd'), cores: 0.006, memoryBytes: 80 * MiB, weight: 20, memoryMin: 48 * MiB, noSwap: true },
    { path: '/system/udevd', pids: p('udevd'), cores: 0.0005, memoryBytes: 12 * MiB, weight: 10, memoryMin: 8 * MiB, noSwap: true },
    { path: '/podruntime', pids: [], cores: 0, memoryBytes: 0, weight: 157 },
    { path: '/podruntime/runtime', pids: p('containerd-shim-runc-v2'), cores: 0.01, memoryBytes: 120 * MiB, weight: 39, noSwap: true },
    { path: '/podruntime/kubelet', pids: p('kubelet'), cores: 0.03, memoryBytes: 160 * MiB, weight: 39, memoryMin: 96 * MiB, noSwap: true },
    { path: '/kubepods', pids: [], cores: 0, memoryBytes: 0, weight: 100 },
    { path: '/kubepods/besteffort', pids: [], cores: 0, memoryBytes: 0, weight: 1, qos: 'besteffort' },
    { path: '/kubepods/burstable', pids: [], cores: 0, memoryBytes: 0, weight: 100, qos: 'burstable' },
  ];
  if (cp) {
    out.push(
      { path: '/system/trustd', pids: p('trustd'), cores: 0.001, memoryBytes: 30 * MiB, weight: 10, memoryMin: 24 * MiB, noSwap: true },
      { path: '/podruntime/etcd', pids: p('etcd'), cores: 0.04, memoryBytes: 320 * MiB, weight: 39, memoryMin: 256 * MiB, noSwap: true },
    );
  }
  const ctrs = containers(node, 'k8s.io');
  for (const sandbox of ctrs.filter((c) => c.status === 'SANDBOX_READY')) {
    const app = ctrs.find((c) => c.podId === sandbox.podId && c.status === 'CONTAINER_RUNNING');
    const qos = app?.name === 'kube-proxy' ? 'besteffort' : 'burstable';
    const podPath = `/kubepods/${qos}/pod${sandbox.uid}`;
    const heavy = app?.name === 'kube-apiserver' ? 8 : app?.name === 'kube-controller-manager' ? 2 : 1;
    out.push(
      { path: podPath, pids: [], cores: 0, memoryBytes: 0, weight: 40 * heavy, qos },
      { path: `${podPath}/${sandbox.internalId}`, pids: [sandbox.pid], cores: 0.0001, memoryBytes: 1 * MiB, weight: 2, qos },
    );
    if (app)
      out.push({
        path: `${podPath}/${app.internalId}`,
        pids: [app.pid],
        cores: 0.01 * heavy,
        memoryBytes: 45 * MiB * heavy,
        weight: 40 * heavy,
        qos,
      });
  }
  // A parent accounts for its children, as cgroup v2 does.
  for (const g of [...out].sort((a, b) => b.path.length - a.path.length)) {
    const children = out.filter((c) => c.path.startsWith(g.path + '/') && !c.path.slice(g.path.length + 1).includes('/'));
    if (children.length) {
      g.cores += children.reduce((n, c) => n + c.cores, 0);
      g.memoryBytes += children.reduce((n, c) => n + c.memoryBytes, 0);
    }
  }
  return out;
}

const pressure = (total: number, full: boolean) =>
  `some avg10=0.00 avg60=0.00 avg300=0.00 total=${total}\n${full ? `full avg10=0.00 avg60=0.00 avg300=0.00 total=${Math.floor(total / 3)}\n` : ''}`;

/** The cgroupfs files of one cgroup; values follow the node's uptime so counters only grow. */
function cgroupFiles(node: LabNode, g: Cgroup, root: boolean): Record<string, () => string> {
  const uptime = () => Math.max(1, (node.now() - node.bootTime) / 1000);
  const usage = () => Math.floor(uptime() * g.cores * 1e6);
  const files: Record<string, () => string> = {
    'cgroup.procs': () => g.pids.map((p) => `${p}\n`).join(''),
    'cgroup.controllers': () => 'cpuset cpu io memory hugetlb pids rdma misc\n',
    'cgroup.subtree_control': () => (g.pids.length && !root ? '' : 'cpuset cpu io memory hugetlb pids rdma misc\n'),
    'cpu.stat': () => {
      const u = usage();
      return `usage_usec ${u}\nuser_usec ${Math.floor(u * 0.7)}\nsystem_usec ${Math.floor(u * 0.3)}\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n`;
    },
    'cpu.pressure': () => pressure(Math.floor(usage() / 200), true),
    'memory.pressure': () => pressure(Math.floor(usage() / 900), true),
    'io.pressure': () => pressure(Math.floor(usage() / 400), true),
    'io.stat': () => {
      const bytes = Math.floor(g.memoryBytes / 8 + uptime() * g.cores * 40_000);
      return g.memoryBytes
        ? `253:0 rbytes=${bytes} wbytes=${Math.floor(bytes / 3)} rios=${Math.floor(bytes / 16384)} wios=${Math.floor(bytes / 49152)} dbytes=0 dios=0\n`
        : '';
    },
    'memory.stat': () => {
      const m = g.memoryBytes;
      return [
        ['anon', Math.floor(m * 0.62)],
        ['file', Math.floor(m * 0.3)],
        ['kernel', Math.floor(m * 0.05)],
        ['kernel_stack', Math.floor(m * 0.005)],
        ['pagetables', Math.floor(m * 0.01)],
        ['sock', 0],
        ['shmem', Math.floor(m * 0.01)],
        ['file_mapped', Math.floor(m * 0.08)],
        ['file_dirty', 0],
        ['file_writeback', 0],
        ['anon_thp', 0],
        ['inactive_anon', Math.floor(m * 0.4)],
        ['active_anon', Math.floor(m * 0.22)],
        ['inactive_file', Math.floor(m * 0.2)],
        ['active_file', Math.floor(m * 0.1)],
        ['unevictable', 0],
        ['slab_reclaimable', Math.floor(m * 0.02)],
        ['slab_unreclaimable', Math.floor(m * 0.015)],
        ['slab', Math.floor(m * 0.035)],
        ['pgfault', Math.floor(uptime() * g.cores * 900)],
        ['pgmajfault', Math.floor(uptime() * g.cores * 3)],
      ]
        .map(([k, v]) => `${k} ${v}\n`)
        .join('');
    },
  };
  if (root) return files;
  return {
    ...files,
    'cpu.weight': () => `${g.weight}\n`,
    'cpu.max': () => 'max 100000\n',
    'cpuset.cpus': () => '\n',
    'cpuset.cpus.effective': () => `0-${node.cpus - 1}\n`,
    'cpuset.mems.effective': () => '0\n',
    'memory.current': () => `${g.memoryBytes}\n`,
    'memory.peak': () => `${Math.floor(g.memoryBytes * 1.25)}\n`,
    'memory.min': () => `${g.memoryMin ?? 0}\n`,
    'memory.low': () => `${(g.memoryMin ?? 0) * 2}\n`,
    'memory.high': () => 'max\n',
    'memory.max': () => `${g.memoryMax ?? 'max'}\n`,
    'memory.events': () => 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n',
    'memory.swap.current': () => '0\n',
    'memory.swap.peak': () => '0\n',
    'memory.swap.max': () => (g.noSwap ? '0\n' : 'max\n'),
    'memory.swap.events': () => 'high 0\nmax 0\nfail 0\n',
    'pids.current': () => `${g.pids.length ? g.pids.length * 8 : 0}\n`,
    'pids.peak': () => `${g.pids.length ? g.pids.length * 9 : 0}\n`,
    'pids.max': () => 'max\n',
  };
}

/** /sys/fs/cgroup (what `talosctl cgroups` copies), /sys/dev/block and /proc/bus/pci/devices. */
export function populateCgroups(node: LabNode): void {
  const f = node.files;
  const boot = node.bootTime;
  for (const [name, content] of Object.entries(cgroupFiles(node, { path: '', pids: [1, 2], cores: 0, memoryBytes: 0, weight: 100 }, true)))
    f.file(`/sys/fs/cgroup/${name}`, content, 0o444, boot);
  // The tree is built once per boot; its values are computed when read.
  for (const g of cgroupsOf(node)) {
    f.dir(`/sys/fs/cgroup${g.path}`, 0o755, boot);
    for (const [name, content] of Object.entries(cgroupFiles(node, g, false)))
      f.file(`/sys/fs/cgroup${g.path}/${name}`, content, name.includes('.') && !name.startsWith('cgroup.procs') ? 0o644 : 0o444, boot);
  }
  for (const d of BLOCK_DEVICES) {
    const device = d.parent ? `${d.parent}/${d.name}` : d.name;
    const bus = d.name.startsWith('loop') ? 'virtual' : 'pci0000:00/0000:00:05.0/virtio2';
    f.symlink(`/sys/dev/block/${d.dev}`, `../../devices/${bus}/block/${device}`);
  }
  f.file(
    '/proc/bus/pci/devices',
    () =>
      [
        ['0000', '80861237', '0', ''],
        ['0008', '80867000', '0', ''],
        ['0009', '80867010', '0', 'ata_piix'],
        ['000b', '80867113', '9', 'piix4_smbus'],
        ['0010', '12341111', '0', 'bochs-drm'],
        ['0018', '1af41000', 'b', 'virtio-pci'],
        ['0028', '1af41001', 'a', 'virtio-pci'],
        ['0030', '1af41002', 'b', 'virtio-pci'],
        ['0038', '1af41005', 'a', 'virtio-pci'],
      ]
        .map(([devfn, id, irq, driver]) => [devfn, id, irq, ...Array(14).fill('0'), driver].join('\t') + '\n')
        .join(''),
    0o444,
    boot,
  );
}
