import type { ContainerInfo, MemInfo, MountStat, ProcessInfo, SystemStat } from '../../proto/gen/machine/machine';
import type { LabNode } from './node';

/** Smoothly varying, deterministic per node: a value between 0 and 1 that drifts with time. */
function wave(node: LabNode, period: number, phase: number): number {
  const t = node.now() / 1000;
  return 0.5 + 0.35 * Math.sin(t / period + phase + node.id.index) + 0.15 * Math.sin(t / (period / 7) + phase * 3);
}

export function memInfo(node: LabNode): MemInfo {
  const total = node.memoryTotalKb;
  const usedShare = node.health.memoryUsed ?? 0.25 + 0.3 * wave(node, 40, 1);
  const used = Math.round(total * usedShare);
  // Under memory pressure the kernel has already dropped most of the page cache.
  const cached = Math.round(total * Math.min(0.2, Math.max(0.01, 0.96 - usedShare)));
  const buffers = Math.round(total * 0.01);
  const free = Math.max(0, total - used - cached - buffers);
  const zero = {} as Record<string, string>;
  for (const k of [
    'swapcached',
    'active',
    'inactive',
    'activeanon',
    'inactiveanon',
    'activefile',
    'inactivefile',
    'unevictable',
    'mlocked',
    'swaptotal',
    'swapfree',
    'dirty',
    'writeback',
    'anonpages',
    'mapped',
    'slab',
    'sreclaimable',
    'sunreclaim',
    'kernelstack',
    'pagetables',
    'nfsunstable',
    'bounce',
    'writebacktmp',
    'commitlimit',
    'committedas',
    'vmalloctotal',
    'vmallocused',
    'vmallocchunk',
    'hardwarecorrupted',
    'anonhugepages',
    'shmemhugepages',
    'shmempmdmapped',
    'cmatotal',
    'cmafree',
    'hugepagestotal',
    'hugepagesfree',
    'hugepagesrsvd',
    'hugepagessurp',
    'directmap4k',
    'directmap2m',
    'directmap1g',
  ])
    zero[k] = '0';
  return {
    ...(zero as unknown as MemInfo),
    memtotal: String(total),
    memfree: String(free),
    memavailable: String(free + cached + buffers),
    buffers: String(buffers),
    cached: String(cached),
    shmem: String(Math.round(total * 0.02)),
    hugepagesize: '2048',
  };
}

export function loadAvg(node: LabNode): { load1: number; load5: number; load15: number } {
  const base = node.cpus * wave(node, 30, 2);
  return { load1: round(base), load5: round(base * 0.9 + 0.1), load15: round(base * 0.8 + 0.15) };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Busy CPU seconds since boot: the integral of a load share that drifts between 5 % and 35 %, so it only grows. */
function busySeconds(node: LabNode, uptime: number): number {
  const period = 20;
  const phase = node.id.index;
  const integral = (t: number) => 0.2 * t - 0.15 * period * Math.cos(t / period + phase);
  return node.cpus * (integral(uptime) - integral(0));
}

export function systemStat(node: LabNode): SystemStat {
  const uptime = Math.max(1, (node.now() - node.bootTime) / 1000);
  const cpuSeconds = uptime * node.cpus;
  const busy = busySeconds(node, uptime);
  const user = busy * 0.7;
  const system = busy * 0.3;
  const idle = cpuSeconds - busy;
  const stat = {
    user: round(user),
    nice: 0,
    system: round(system),
    idle: round(idle),
    iowait: 0,
    irq: 0,
    softIrq: 0,
    steal: 0,
    guest: 0,
    guestNice: 0,
  };
  return {
    metadata: undefined,
    bootTime: String(Math.floor(node.bootTime / 1000)),
    cpuTotal: stat,
    cpu: Array.from({ length: node.cpus }, () => ({
      ...stat,
      user: round(user / node.cpus),
      system: round(system / node.cpus),
      idle: round(idle / node.cpus),
    })),
    irqTotal: String(Math.floor(uptime * 900)),
    irq: [],
    contextSwitches: String(Math.floor(uptime * 4200)),
    processCreated: String(Math.floor(uptime * 3)),
    processRunning: String(1 + Math.floor(wave(node, 5, 1) * 4)),
    processBlocked: '0',
    softIrqTotal: String(Math.floor(uptime * 700)),
    softIrq: undefined,
  };
}

export function processes(node: LabNode): ProcessInfo[] {
  const uptime = Math.max(1, (node.now() - node.bootTime) / 1000);
  const list: [string, string, number, number][] = [
    ['init', '/sbin/init', 0.002, 40],
    ['machined', '/sbin/init', 0.01, 120],
    ['udevd', '/sbin/udevd', 0.0005, 12],
    ['containerd', '/bin/containerd', 0.006, 80],
    ['apid', '/apid', 0.004, 60],
    ['containerd-shim-runc-v2', '/bin/containerd-shim-runc-v2', 0.001, 14],
    ['kubelet', '/usr/local/bin/kubelet', 0.03, 160],
    ['kube-proxy', '/usr/local/bin/kube-proxy', 0.004, 45],
    ['flanneld', '/opt/bin/flanneld', 0.002, 30],
  ];
  if (node.id.type === 'controlplane') {
    list.push(
      ['trustd', '/trustd', 0.001, 30],
      ['etcd', '/usr/local/bin/etcd', 0.04, 320],
      ['kube-apiserver', '/usr/local/bin/kube-apiserver', 0.08, 900],
      ['kube-controller', '/usr/local/bin/kube-controller-manager', 0.02, 180],
      ['kube-scheduler', '/usr/local/bin/kube-scheduler', 0.008, 90],
    );
  }
  return list.map(([command, executable, cpuShare, rssMb], i) => ({
    pid: i === 0 ? 1 : 100 + i * 137 + node.id.index,
    ppid: i === 0 ? 0 : 1,
    state: 'S',
    threads: 8 + ((i * 7) % 30),
    cpuTime: round(uptime * cpuShare * (0.8 + 0.4 * wave(node, 15, i))),
    virtualMemory: String(rssMb * 4 * 1024 * 1024),
    residentMemory: String(Math.round(rssMb * (0.9 + 0.2 * wave(node, 25, i)) * 1024 * 1024)),
    command,
    executable,
    args: `${executable} ${command === 'kubelet' ? '--config=/etc/kubernetes/kubelet.yaml' : ''}`.trim(),
    label: 'system_u:system_r:init_t:s0',
  }));
}

export function mounts(node: LabNode): MountStat[] {
  const gb = 1024 ** 3;
  return [
    { filesystem: 'overlay', size: String(10 * gb), available: String(Math.round(6.2 * gb)), mountedOn: '/' },
    { filesystem: '/dev/vda5', size: String(100 * 1024 ** 2), available: String(92 * 1024 ** 2), mountedOn: '/system/state' },
    {
      filesystem: '/dev/vda6',
      size: String(40 * gb),
      available: String(Math.round(40 * gb * (1 - (node.health.ephemeralUsed ?? 0.25 + 0.15 * wave(node, 300, 1))))),
      mountedOn: '/var',
    },
    { filesystem: 'tmpfs', size: String(node.memoryTotalKb * 512), available: String(node.memoryTotalKb * 500), mountedOn: '/run' },
    { filesystem: 'tmpfs', size: String(64 * 1024 ** 2), available: String(63 * 1024 ** 2), mountedOn: '/tmp' },
  ];
}

export function containers(node: LabNode, namespace: string): ContainerInfo[] {
  if (namespace === 'system') {
    return ['apid', 'trustd', 'etcd', 'kubelet']
      .filter((id) => node.services.has(id))
      .map((id) => {
        const s = node.services.get(id)!;
        return {
          namespace: 'system',
          id,
          image:
            id === 'kubelet'
              ? 'ghcr.io/siderolabs/kubelet:v1.36.3'
              : id === 'etcd'
                ? 'registry.k8s.io/etcd:v3.6.12'
                : `ghcr.io/siderolabs/${id}:${node.talosVersion}`,
          pid: s.state === 'Running' ? s.pid : 0,
          status: s.state === 'Running' ? 'RUNNING' : 'STOPPED',
          podId: '',
          name: id,
          networkNamespace: '',
          internalId: node.rng.hex(64),
          uid: '',
        };
      });
  }
  if (namespace === 'k8s.io') {
    const out: ContainerInfo[] = [];
    for (const c of node.k8sContainers()) {
      out.push({
        namespace: 'k8s.io',
        id: c.pod,
        image: 'registry.k8s.io/pause:3.10',
        pid: 1000 + out.length,
        status: 'SANDBOX_READY',
        podId: c.podId,
        name: c.pod,
        networkNamespace: `/var/run/netns/cni-${c.podId.slice(0, 8)}`,
        internalId: c.podId,
        uid: c.podId.slice(0, 32),
      });
      out.push({
        namespace: 'k8s.io',
        id: c.logId,
        image: c.image,
        pid: 1001 + out.length,
        status: 'CONTAINER_RUNNING',
        podId: c.podId,
        name: c.name,
        networkNamespace: '',
        internalId: c.containerId,
        uid: '',
      });
    }
    return out;
  }
  return [];
}
