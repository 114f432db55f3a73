import { describe, expect, it } from 'vitest';
import { etcdView, quorumOf, quorumRefusal, type EtcdMemberReading, type EtcdReading } from './quorum';

const member = (n: number, o: Partial<EtcdMemberReading> = {}): EtcdMemberReading => ({
  id: String(n),
  hostname: `cp-${n}`,
  node: `10.0.0.${n}`,
  learner: false,
  localMember: true,
  status: { leader: '1', errors: [] },
  error: '',
  ...o,
});
const reading = (...members: EtcdMemberReading[]): EtcdReading => ({ members, alarms: [], error: null });
const target = (n: number) => ({ node: `10.0.0.${n}`, hostname: `cp-${n}` });

describe('the quorum guard', () => {
  it('needs a majority of voters', () => {
    expect([1, 2, 3, 4, 5].map(quorumOf)).toEqual([1, 2, 2, 3, 3]);
  });

  it('refuses the only control plane and any member of a two-member cluster', () => {
    expect(quorumRefusal(reading(member(1)), target(1))).toMatch(/only control plane/);
    expect(quorumRefusal(reading(member(1), member(2)), target(1))).toMatch(/leave 1 of 2 .* quorum of 2/);
  });

  it('lets one of three go, but not the only healthy member, and not a second while the first is down', () => {
    const three = reading(member(1), member(2), member(3));
    expect(quorumRefusal(three, target(2))).toBeNull();
    expect(quorumRefusal(three, target(2), new Set(['1']))).toMatch(/leave 1 of 3/);
    const oneHealthy = reading(
      member(1),
      member(2, { status: null, error: 'unreachable' }),
      member(3, { status: { leader: '0', errors: [] } }),
    );
    expect(quorumRefusal(oneHealthy, target(1))).toMatch(/only healthy etcd member/);
    // Taking down a member that is already unhealthy costs nothing.
    expect(quorumRefusal(oneHealthy, target(2))).toBeNull();
  });

  it('counts a member out whose node has no EtcdMembers resource, even when its EtcdStatus still answers', () => {
    const three = reading(member(1), member(2), member(3, { localMember: false }));
    expect(etcdView(three)).toMatchObject({ voters: 3, healthy: 2, tolerance: 0 });
    expect(etcdView(three).members[2]!.detail).toMatch(/in the member list, but etcd is not running and healthy on its node/);
    expect(quorumRefusal(three, target(1))).toMatch(/leave 1 of 3/);
    // An unreadable resource is no evidence either way: EtcdStatus decides.
    expect(quorumRefusal(reading(member(1), member(2), member(3, { localMember: null })), target(1))).toBeNull();
  });

  it('does not count learners as voters, and refuses when etcd could not be read', () => {
    const withLearner = reading(member(1), member(2), member(3), member(4, { learner: true }));
    expect(quorumRefusal(withLearner, target(4))).toBeNull();
    expect(etcdView(withLearner)).toMatchObject({ voters: 3, healthy: 3, quorum: 2, tolerance: 1, hasLeader: true });
    expect(quorumRefusal({ members: [], alarms: [], error: 'cp-1: unreachable' }, target(1))).toMatch(/could not read etcd/);
  });
});
