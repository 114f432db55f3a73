import { Empty } from '../../../proto/gen/google/protobuf/empty';
import { MachineServiceService as M, type ContainerInfo, type ProcessInfo } from '../../../proto/gen/machine/machine';
import type { Cgroup } from '../../../shared/domain/cgroups';
import type { TalosClient } from '../client';
import type { TarMember } from '../tar-reader';
import { FileCalls } from './files';

const int = (text: string | undefined): number | null => {
  if (text === undefined) return null;
  const n = Number(text.trim());
  return Number.isFinite(n) && text.trim() !== '' ? n : null;
};
const word = (text: string | undefined): string | null => (text === undefined ? null : text.trim());

/** `key value` lines (cpu.stat, memory.stat, memory.events). */
function keyed(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && Number.isFinite(Number(v))) out.set(k, Number(v));
  }
  return out;
}

function pressure(text: string | undefined): Cgroup['psi']['cpu'] {
  const line = (kind: string) => {
    const m = new RegExp(`^${kind} avg10=([\\d.]+) avg60=([\\d.]+) avg300=([\\d.]+) total=(\\d+)`, 'm').exec(text ?? '');
    return m ? { avg10: Number(m[1]), avg60: Number(m[2]), avg300: Number(m[3]), total: Number(m[4]) } : null;
  };
  return { some: line('some'), full: line('full') };
}

/**
 * Turns copies of /sys/fs/cgroup and /sys/dev/block plus Processes and CRI Containers into the table talosctl
 * prints: every cgroup with a readable name (pod and container names for kubepods, service names elsewhere).
 */
export function parseCgroups(tree: TarMember[], blocks: TarMember[], processes: ProcessInfo[], containers: ContainerInfo[]): Cgroup[] {
  const dirs = new Map<string, Map<string, string>>([['', new Map()]]);
  for (const m of tree) {
    const name = m.name.replace(/\/$/, '');
    if (m.type === 'dir') {
      if (!dirs.has(name)) dirs.set(name, new Map());
      continue;
    }
    const at = name.lastIndexOf('/');
    const dir = at < 0 ? '' : name.slice(0, at);
    if (!dirs.has(dir)) dirs.set(dir, new Map());
    dirs.get(dir)!.set(name.slice(at + 1), m.content?.toString('utf8') ?? '');
  }
  const devices = new Map(blocks.filter((b) => b.linkname).map((b) => [b.name, b.linkname!.slice(b.linkname!.lastIndexOf('/') + 1)]));
  const commands = new Map(processes.map((p) => [p.pid, p.command]));
  const pods = new Map(containers.filter((c) => c.uid).map((c) => [c.uid, c.id]));
  const byInternalId = new Map(containers.map((c) => [c.internalId, c]));

  const nameOf = (path: string): string => {
    if (path === '') return '.';
    const last = path.slice(path.lastIndexOf('/') + 1);
    if (last.startsWith('pod') && pods.has(last.slice(3))) return pods.get(last.slice(3))!;
    const c = byInternalId.get(last);
    if (c) return c.uid ? 'sandbox' : c.name;
    return last;
  };

  return [...dirs.keys()].sort().map((path) => {
    const f = dirs.get(path)!;
    const cpu = keyed(f.get('cpu.stat'));
    const mem = keyed(f.get('memory.stat'));
    const events = keyed(f.get('memory.events'));
    const pids = (f.get('cgroup.procs') ?? '')
      .split('\n')
      .map((s) => Number(s))
      .filter((n) => Number.isInteger(n) && n > 0);
    return {
      path: `/${path}`,
      name: nameOf(path),
      depth: path === '' ? 0 : path.split('/').length,
      pids,
      processes: pids.map((p) => commands.get(p) ?? String(p)),
      cpu: {
        weight: int(f.get('cpu.weight')),
        max: word(f.get('cpu.max')),
        usageUsec: cpu.get('usage_usec') ?? null,
        userUsec: cpu.get('user_usec') ?? null,
        systemUsec: cpu.get('system_usec') ?? null,
        nrThrottled: cpu.get('nr_throttled') ?? null,
        throttledUsec: cpu.get('throttled_usec') ?? null,
      },
      cpuset: {
        cpus: word(f.get('cpuset.cpus')),
        cpusEffective: word(f.get('cpuset.cpus.effective')),
        memsEffective: word(f.get('cpuset.mems.effective')),
      },
      memory: {
        current: int(f.get('memory.current')),
        peak: int(f.get('memory.peak')),
        min: int(f.get('memory.min')),
        low: int(f.get('memory.low')),
        high: word(f.get('memory.high')),
        max: word(f.get('memory.max')),
        oom: events.get('oom') ?? null,
        oomKill: events.get('oom_kill') ?? null,
        anon: mem.get('anon') ?? null,
        file: mem.get('file') ?? null,
        kernel: mem.get('kernel') ?? null,
      },
      swap: { current: int(f.get('memory.swap.current')), peak: int(f.get('memory.swap.peak')), max: word(f.get('memory.swap.max')) },
      process: { current: int(f.get('pids.current')), peak: int(f.get('pids.peak')), max: word(f.get('pids.max')) },
      io: (f.get('io.stat') ?? '')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [dev = '', ...pairs] = line.trim().split(/\s+/);
          const v = new Map(pairs.map((p) => p.split('=') as [string, string]));
          return {
            device: devices.get(dev) ?? dev,
            readBytes: Number(v.get('rbytes') ?? 0),
            writeBytes: Number(v.get('wbytes') ?? 0),
            readIos: Number(v.get('rios') ?? 0),
            writeIos: Number(v.get('wios') ?? 0),
          };
        }),
      psi: { cpu: pressure(f.get('cpu.pressure')), memory: pressure(f.get('memory.pressure')), io: pressure(f.get('io.pressure')) },
    };
  });
}

/** `talosctl cgroups`: there is no RPC of its own; it copies /sys/fs/cgroup (so it needs os:admin). */
export class CgroupCalls {
  constructor(private readonly client: TalosClient) {}

  async list(node: string): Promise<Cgroup[]> {
    const files = new FileCalls(this.client);
    const [tree, blocks, processes, containers] = await Promise.all([
      files.copyEntries(node, '/sys/fs/cgroup'),
      files.copyEntries(node, '/sys/dev/block'),
      this.client.connection.unary(M.processes, Empty.fromPartial({}), node),
      this.client.connection.unary(M.containers, { namespace: 'k8s.io', driver: 1 }, node).catch(() => ({ messages: [] })),
    ]);
    return parseCgroups(tree, blocks, processes.messages[0]?.processes ?? [], containers.messages[0]?.containers ?? []);
  }
}
