import type { LabNode } from './node';

/** etcd's default backend quota (`--quota-backend-bytes`); Talos does not change it unless extraArgs do. */
export const ETCD_DEFAULT_QUOTA_BYTES = 2 * 1024 ** 3;

export type EtcdAlarmType = 'NOSPACE' | 'CORRUPT';

export interface EtcdMemberState {
  /** uint64 as a decimal string, as the generated code carries it. */
  id: string;
  node: LabNode;
  isLearner: boolean;
  dbSize: number;
  dbSizeInUse: number;
}

/** `%016x`, the form talosctl prints and the EtcdMembers resource stores. */
export function formatMemberId(id: string): string {
  return BigInt(id).toString(16).padStart(16, '0');
}

/**
 * The control planes' etcd cluster as one state every member answers from: membership, the leader and raft term,
 * DB sizes against the quota, and alarms (cluster-wide: every member lists every alarm).
 */
export class EtcdCluster {
  readonly members: EtcdMemberState[];
  readonly alarms: { memberId: string; alarm: EtcdAlarmType }[] = [];
  quotaBytes = ETCD_DEFAULT_QUOTA_BYTES;
  raftTerm = 4;
  private leaderId = '0';
  private readonly raftBase: number;

  constructor(controlPlanes: LabNode[]) {
    this.members = controlPlanes.map((node) => {
      // A small cluster's database: a few MB (a snapshot streams it in 1 KiB messages, as Talos does).
      const dbSize = 4_500_000 + node.rng.int(0, 2_500_000);
      return { id: node.etcdMemberId, node, isLearner: false, dbSize, dbSizeInUse: Math.round(dbSize * (0.25 + node.rng.next() * 0.1)) };
    });
    this.raftBase = 40_000 + (controlPlanes[0]?.rng.int(0, 20_000) ?? 0);
    for (const node of controlPlanes) node.etcd = this;
  }

  member(node: LabNode): EtcdMemberState | undefined {
    return this.members.find((m) => m.node === node);
  }

  /** A member takes part in raft when its node answers and its etcd service runs. */
  private participating(m: EtcdMemberState): boolean {
    return m.node.reachable && m.node.services.get('etcd')?.state === 'Running' && !m.node.faults.etcdNoLeader;
  }

  hasQuorum(): boolean {
    const voters = this.members.filter((m) => !m.isLearner);
    return voters.filter((m) => this.participating(m)).length * 2 > voters.length;
  }

  /** The leader every healthy member agrees on ('0' = none); a lost leader or quorum triggers an election. */
  leader(): string {
    if (!this.hasQuorum()) return '0';
    const current = this.members.find((m) => m.id === this.leaderId);
    if (current && this.participating(current)) return this.leaderId;
    const next = this.members.find((m) => !m.isLearner && this.participating(m));
    if (!next) return '0';
    this.leaderId = next.id;
    this.raftTerm += 1;
    return this.leaderId;
  }

  /** What EtcdStatus reports on `node`: a member cut off from the leader sees none and campaigns in a newer term. */
  statusOf(node: LabNode, now: number) {
    const m = this.member(node);
    if (!m) return undefined;
    const isolated = node.faults.etcdNoLeader;
    const leader = isolated ? '0' : this.leader();
    const raftIndex = this.raftBase + Math.floor((now - this.members[0]!.node.bootTime) / 1000) * 3;
    return {
      protocolVersion: '3.6.0',
      storageVersion: '3.6.0',
      dbSize: m.dbSize,
      dbSizeInUse: m.dbSizeInUse,
      leader,
      raftIndex: isolated ? raftIndex - 120 : raftIndex,
      raftTerm: isolated ? this.raftTerm + 3 : this.raftTerm,
      raftAppliedIndex: isolated ? raftIndex - 120 : raftIndex,
      // etcd lists every active alarm in Status.errors, formatted as the AlarmMember message's text form.
      errors: this.alarms.map((a) => `memberID:${a.memberId} alarm:${a.alarm} `),
      isLearner: m.isLearner,
      memberId: m.id,
    };
  }

  /** The node of the current leader, or null without one. */
  leaderNode(): LabNode | null {
    const id = this.leader();
    return this.members.find((m) => m.id === id)?.node ?? null;
  }

  /**
   * EtcdForfeitLeadership on the leader: leadership moves to `to` (or the next healthy member). Returns the new
   * leader's node, or null when `from` was not the leader or no other member can lead.
   */
  transferLeadership(from: LabNode, to?: LabNode): LabNode | null {
    if (this.leader() !== this.member(from)?.id) return null;
    const next = this.members.find((m) => m.node !== from && (!to || m.node === to) && !m.isLearner && this.participating(m));
    if (!next) return null;
    this.leaderId = next.id;
    this.raftTerm += 1;
    return next.node;
  }

  raiseAlarm(memberId: string, alarm: EtcdAlarmType): void {
    if (!this.alarms.some((a) => a.memberId === memberId && a.alarm === alarm)) this.alarms.push({ memberId, alarm });
  }

  /** EtcdAlarmDisarm: disarms every alarm and returns what was disarmed. */
  disarmAll(): { memberId: string; alarm: EtcdAlarmType }[] {
    return this.alarms.splice(0, this.alarms.length);
  }

  /** EtcdDefragment on one member: the file shrinks to what is in use. */
  defragment(node: LabNode): void {
    const m = this.member(node);
    if (m) m.dbSize = Math.max(m.dbSizeInUse, Math.round(m.dbSizeInUse * 1.02));
  }
}
