import type { NodeRole } from '../../../shared/domain/operation';
import type { TalosClient } from '../../talos/client';
import { fanOut } from '../../talos/fan-out';

export interface Target {
  node: string;
  hostname: string;
  role: NodeRole;
  version: string;
  /** Why the node could not be read, or null when it answered. */
  error: string | null;
}

async function roleOf(client: TalosClient, node: string): Promise<NodeRole> {
  const item = await client.getResource(node, 'config', 'MachineTypes.config.talos.dev', 'machine-type');
  const type = typeof item.spec === 'string' ? item.spec : '';
  return type === 'controlplane' || type === 'init' ? 'controlplane' : type === 'worker' ? 'worker' : 'unknown';
}

/** Name, role and version of every target, read from the node itself (MachineType, Hostname, Version). */
export async function readTargets(client: TalosClient, nodes: string[]): Promise<Target[]> {
  const results = await fanOut(nodes, async (node) => {
    const [version, hostname, role] = await Promise.all([
      client.version(node, { timeoutMs: 8_000 }),
      client.hostname(node),
      roleOf(client, node),
    ]);
    return { version: version.tag, hostname, role };
  });
  return results.map((r) =>
    r.ok ? { node: r.node, ...r.value, error: null } : { node: r.node, hostname: '', role: 'unknown', version: '', error: r.error.message },
  );
}

/** The cluster's name (`Infos.cluster.talos.dev/current`), asked of the first node that answers; null when none does. */
export async function clusterName(client: TalosClient, nodes: string[]): Promise<string | null> {
  for (const node of nodes) {
    try {
      const item = await client.getResource(node, 'cluster', 'Infos.cluster.talos.dev', 'current');
      const name = (item.spec as { clusterName?: unknown } | null)?.clusterName;
      if (typeof name === 'string' && name) return name;
    } catch {
      // try the next node
    }
  }
  return null;
}

/** Control planes first, one per batch, then workers in batches of `workerBatchSize`. Unknown roles count as control planes. */
export function orderTargets<T extends { role: NodeRole; node: string }>(targets: T[], workerBatchSize: number): (T & { batch: number })[] {
  const planes = targets.filter((t) => t.role !== 'worker');
  const workers = targets.filter((t) => t.role === 'worker');
  const out = planes.map((t, i) => ({ ...t, batch: i + 1 }));
  workers.forEach((t, i) => out.push({ ...t, batch: planes.length + Math.floor(i / workerBatchSize) + 1 }));
  return out;
}
