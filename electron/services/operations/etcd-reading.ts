import { AppError } from '../../../shared/errors';
import type { TalosClient } from '../../talos/client';
import { sameMember } from './gates';
import type { EtcdReading } from './quorum';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `https://10.5.0.2:2380` → `10.5.0.2` (IPv6 brackets dropped). */
export function peerHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null;
  }
}

/** The control planes the cluster's discovery lists (`Members` with machineType controlplane; first address = IP, as talosctl health takes it). */
async function discoveredControlPlanes(client: TalosClient, node: string, timeoutMs: number): Promise<string[]> {
  try {
    const members = await withTimeout(client.evidence.clusterMembers(node), timeoutMs, node);
    return members.flatMap((m) => (m.machineType === 'controlplane' && m.addresses[0] ? [m.addresses[0]] : []));
  } catch {
    return [];
  }
}

/** Each node's own `EtcdMembers` resource (`local`): the member id its etcd runs as, null when absent, undefined when unreadable. */
async function localMembers(client: TalosClient, nodes: string[], timeoutMs: number): Promise<Map<string, string | null | undefined>> {
  const out = new Map<string, string | null | undefined>();
  await Promise.all(
    nodes.map(async (node) => {
      try {
        out.set(node, await withTimeout(client.evidence.localEtcdMember(node), timeoutMs, node));
      } catch {
        out.set(node, undefined);
      }
    }),
  );
  return out;
}

/**
 * Reads etcd as the quorum guard needs it, from what Talos itself keeps: membership from the first control plane
 * that answers EtcdMemberList; the control planes from the cluster's `Members`; which node runs which member from
 * each node's `EtcdMembers` resource (its peer URL only where no node claims it); then each member's own EtcdStatus
 * and the alarms. A member in the list whose node has no `EtcdMembers` resource is not running and healthy there.
 * What did not answer stays unknown.
 */
export async function readEtcd(client: TalosClient, controlPlanes: string[], timeoutMs = 8_000): Promise<EtcdReading> {
  const errors: string[] = [];
  for (const node of controlPlanes) {
    let members;
    try {
      members = await withTimeout(client.etcdMembers(node), timeoutMs, node);
    } catch (error) {
      errors.push(`${node}: ${message(error)}`);
      continue;
    }
    const peers = members.map((m) => m.peerUrls.map(peerHost).find(Boolean) ?? null);
    const planes = await discoveredControlPlanes(client, node, timeoutMs);
    const locals = await localMembers(
      client,
      [...new Set([...controlPlanes, ...planes, ...peers.flatMap((p) => (p ? [p] : []))])],
      timeoutMs,
    );
    const readings = await Promise.all(
      members.map(async (m, i) => {
        const owner = [...locals].find(([, id]) => typeof id === 'string' && sameMember(id, m.id))?.[0];
        const host = owner ?? peers[i] ?? null;
        const local = host ? locals.get(host) : undefined;
        const localMember = owner ? true : local === undefined ? null : false;
        const base = { id: String(m.id), hostname: m.hostname, node: host, learner: m.isLearner, localMember };
        if (!host) return { ...base, status: null, error: 'no peer address' };
        try {
          const s = await withTimeout(client.etcdStatus(host), timeoutMs, host);
          // Member ids are 16 hex digits; a member that sees no leader reports all zeros.
          const leader = !s || /^0+$/.test(s.leader) ? '0' : s.leader;
          return { ...base, status: { leader, errors: s?.errors ?? [] }, error: '' };
        } catch (error) {
          return { ...base, status: null, error: message(error) };
        }
      }),
    );
    let alarms: string[] = [];
    try {
      alarms = (await withTimeout(client.etcdAlarms(node), timeoutMs, node))
        .filter((a) => a.alarm !== 'NONE')
        .map((a) => `${a.alarm} on member ${a.memberId}`);
    } catch (error) {
      alarms = [`alarms unknown (${message(error)})`];
    }
    return { members: readings, alarms, error: null };
  }
  return { members: [], alarms: [], error: errors.join('; ') || 'no control plane to ask' };
}

function withTimeout<T>(promise: Promise<T>, ms: number, node: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('DEADLINE_EXCEEDED', `${node} did not answer within ${Math.round(ms / 1000)} s.`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
