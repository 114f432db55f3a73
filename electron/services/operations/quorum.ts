import type { EtcdView } from '../../../shared/domain/operation';

/** One etcd member as the guard read it: from EtcdMemberList, with its own EtcdStatus when its node answered. */
export interface EtcdMemberReading {
  id: string;
  hostname: string;
  /** The address its peer URL names (what the `node` key takes), or null. */
  node: string | null;
  learner: boolean;
  /**
   * What its node's `EtcdMembers` resource (`local`) says, as Talos' etcd.MemberController keeps it: true = it names
   * this member, false = it is absent (etcd is not running and healthy there), null = it could not be read.
   */
  localMember: boolean | null;
  status: { leader: string; errors: string[] } | null;
  /** Why there is no status (the node's own error), or ''. */
  error: string;
}

export interface EtcdReading {
  members: EtcdMemberReading[];
  alarms: string[];
  /** Set when membership could not be read at all: the guard then knows nothing. */
  error: string | null;
}

const NOT_RUNNING_HERE = 'in the member list, but etcd is not running and healthy on its node (no EtcdMembers resource there)';

export function memberHealthy(m: EtcdMemberReading): boolean {
  return (
    !m.learner &&
    m.localMember !== false &&
    m.status !== null &&
    m.status.errors.length === 0 &&
    m.status.leader !== '0' &&
    m.status.leader !== ''
  );
}

/** etcd needs a majority of its voting members: floor(n/2) + 1. */
export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

export function etcdView(reading: EtcdReading): EtcdView {
  const voters = reading.members.filter((m) => !m.learner);
  const healthy = voters.filter(memberHealthy).length;
  const quorum = quorumOf(voters.length);
  const leaders = new Set(reading.members.flatMap((m) => (memberHealthy(m) && m.status ? [m.status.leader] : [])));
  return {
    members: reading.members.map((m) => ({
      id: m.id,
      hostname: m.hostname,
      node: m.node,
      healthy: memberHealthy(m),
      learner: m.learner,
      leader: leaders.has(m.id),
      detail:
        m.localMember === false && !m.learner
          ? NOT_RUNNING_HERE
          : m.status
            ? m.learner
              ? 'learner (not voting)'
              : m.status.errors.length
                ? m.status.errors.join('; ')
                : m.status.leader === '0'
                  ? 'no leader'
                  : 'healthy'
            : m.error || 'no status',
    })),
    voters: voters.length,
    healthy,
    quorum,
    tolerance: Math.max(0, healthy - quorum),
    hasLeader: leaders.size > 0,
    alarms: reading.alarms,
    error: reading.error,
  };
}

/** Finds a target's etcd member by address or hostname. */
export function memberOf(reading: EtcdReading, target: { node: string; hostname: string }): EtcdMemberReading | undefined {
  return reading.members.find((m) => m.node === target.node || (target.hostname !== '' && m.hostname === target.hostname));
}

/**
 * Why taking `target` down now would break quorum, or null when it keeps quorum. `down` are members already
 * down (shut down earlier in the same roll). The last reachable control plane and a member that is the only
 * healthy one are the cases operators meet; both are "fewer than quorum would remain".
 */
export function quorumRefusal(
  reading: EtcdReading,
  target: { node: string; hostname: string },
  down: Set<string> = new Set(),
): string | null {
  if (reading.error) return `the quorum guard could not read etcd (${reading.error}), so it cannot tell whether quorum would hold`;
  const member = memberOf(reading, target);
  if (!member) return null;
  const voters = reading.members.filter((m) => !m.learner);
  const healthy = voters.filter((m) => memberHealthy(m) && !down.has(m.id));
  if (member.learner || !healthy.includes(member)) return null;
  const quorum = quorumOf(voters.length);
  const left = healthy.length - 1;
  if (left >= quorum) return null;
  if (healthy.length === 1)
    return voters.length === 1
      ? `${target.node} is the only control plane: etcd would have no member left and the cluster's API would stop`
      : `${target.node} holds the only healthy etcd member (${voters.length - 1} other member(s) are down or unhealthy)`;
  return `taking ${target.node} down would leave ${left} of ${voters.length} etcd members healthy, below the quorum of ${quorum}`;
}

/** Warnings worth reading before a roll touches control planes. */
export function etcdWarnings(reading: EtcdReading): string[] {
  const out: string[] = [];
  if (reading.alarms.length) out.push(`etcd has alarms: ${reading.alarms.join(', ')}. Disarm them (etcd alarm disarm) before rolling.`);
  const learners = reading.members.filter((m) => m.learner);
  if (learners.length) out.push(`etcd has a learner (${learners.map((m) => m.hostname).join(', ')}): a member is still joining.`);
  const unhealthy = reading.members.filter((m) => !m.learner && !memberHealthy(m));
  if (unhealthy.length)
    out.push(
      `etcd member(s) not healthy now: ${unhealthy.map((m) => `${m.hostname} (${m.localMember === false ? NOT_RUNNING_HERE : m.status?.errors.join('; ') || m.error || 'no leader'})`).join(', ')}.`,
    );
  return out;
}

/**
 * Why removing a member for good (etcd leave, remove-member, a graceful reset) would break the cluster, or null.
 * The cluster shrinks, so the quorum is counted over the members that remain, as etcd's strict reconfiguration
 * check does: the healthy voters left must be a majority of the voters left, and the last member cannot go.
 */
export function memberRemovalRefusal(reading: EtcdReading, member: EtcdMemberReading | undefined, label: string): string | null {
  if (reading.error) return `the quorum guard could not read etcd (${reading.error}), so it cannot tell whether quorum would hold`;
  if (!member) return null;
  const voters = reading.members.filter((m) => !m.learner && m !== member);
  if (voters.length === 0) return `${label} is the last etcd member: removing it would destroy the cluster's data`;
  const healthy = voters.filter(memberHealthy).length;
  const quorum = quorumOf(voters.length);
  if (healthy >= quorum) return null;
  return `removing ${label} would leave ${healthy} healthy of ${voters.length} etcd members, below the quorum of ${quorum}`;
}
