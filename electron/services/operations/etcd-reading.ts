import { AppError } from '../../../shared/errors';
import type { TalosClient } from '../../talos/client';
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

/**
 * Reads etcd as the quorum guard needs it: membership from the first control plane that answers EtcdMemberList,
 * then each member's own EtcdStatus (through its peer address) and the alarms. What did not answer stays unknown.
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
    const readings = await Promise.all(
      members.map(async (m) => {
        const host = m.peerUrls.map(peerHost).find(Boolean) ?? null;
        const base = { id: String(m.id), hostname: m.hostname, node: host, learner: m.isLearner };
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
