import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import type { OperationAction } from '../../shared/domain/operation';
import type { Services } from '../../electron/services';
import { startServicesWithLab, type ServicesWithLab } from '../helpers/services-with-lab';
import type { Lab } from '../../lab/cluster';
import { timings } from '../../lab/server/lifecycle';

/**
 * The quorum guard reads etcd as Talos keeps it: a member can be in EtcdMemberList, and its node's EtcdStatus can
 * still answer with a leader, while its node has no EtcdMembers resource because etcd there is not healthy.
 */

let host: ServicesWithLab;
let services: Services;

const call = <C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> => host.call(channel, request);

const lab = (): Lab => services.lab.current()!;
const reboot: OperationAction = { kind: 'reboot', mode: 'default' };
const planOf = (nodes: string[]) =>
  call('operations.plan', { identityId: 'practice:admin@lab', nodes, action: reboot, workerBatchSize: 1, gateTimeoutSeconds: 20 });

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  host = await startServicesWithLab('quorum-members', { nodes: 3, controlPlanes: 3 });
  services = host.services;
});
afterAll(async () => host?.stop());

describe('the quorum guard and a member that is in the list but not healthy', () => {
  it('maps every member to its node by the node’s own EtcdMembers resource, and sees all three healthy', async () => {
    const plan = await planOf(['10.5.0.2']);
    expect(plan.refusals).toEqual([]);
    expect(plan.etcd).toMatchObject({ voters: 3, healthy: 3, quorum: 2, tolerance: 1 });
    expect(plan.etcd!.members.map((m) => [m.hostname, m.node, m.healthy])).toEqual([
      ['lab-controlplane-1', '10.5.0.2', true],
      ['lab-controlplane-2', '10.5.0.3', true],
      ['lab-controlplane-3', '10.5.0.4', true],
    ]);
  });

  it('counts out a member whose etcd fails its health check (no EtcdMembers resource), though its EtcdStatus answers', async () => {
    const before = await planOf(['10.5.0.2']);
    expect(before.refusals).toEqual([]);
    lab().injectFault({ node: 'lab-controlplane-3', kind: 'service-unhealthy', service: 'etcd', now: true });
    try {
      // What the guard used to rely on alone still looks fine: the member is listed and its status has a leader.
      const cp3 = lab().node('10.5.0.4');
      expect(cp3.etcd!.members.some((m) => m.node === cp3)).toBe(true);
      expect(cp3.etcd!.statusOf(cp3, cp3.now())!.leader).not.toMatch(/^0*$/);
      expect(cp3.resources.get('etcd', 'EtcdMembers.etcd.talos.dev', 'local')).toBeUndefined();

      const plan = await planOf(['10.5.0.2']);
      const member = plan.etcd!.members.find((m) => m.hostname === 'lab-controlplane-3')!;
      expect(member).toMatchObject({ node: '10.5.0.4', healthy: false });
      expect(member.detail).toMatch(
        /in the member list, but etcd is not running and healthy on its node \(no EtcdMembers resource there\)/,
      );
      expect(plan.etcd).toMatchObject({ voters: 3, healthy: 2, tolerance: 0 });
      expect(plan.refusals).toEqual([
        { node: '10.5.0.2', reason: 'taking 10.5.0.2 down would leave 1 of 3 etcd members healthy, below the quorum of 2' },
      ]);
      expect(plan.warnings.join(' ')).toMatch(/not healthy now: lab-controlplane-3 \(in the member list, but etcd is not running/);
      // Rebooting the unhealthy member itself costs nothing.
      expect((await planOf(['10.5.0.4'])).refusals).toEqual([]);

      // The plan made while all three were healthy is refused live, right before the control plane would go down.
      const bootId = lab().node('10.5.0.2').bootId;
      const started = await call('operations.start', { planId: before.id, clusterName: 'lab', quorumOverride: null });
      await services.operations.finished(started.id);
      const op = services.operations.list().find((o) => o.id === started.id)!;
      expect(op.state).toBe('failed');
      expect(op.steps[0]!.failure).toEqual({
        check: 'quorum guard',
        message: 'taking 10.5.0.2 down would leave 1 of 3 etcd members healthy, below the quorum of 2',
      });
      expect(lab().node('10.5.0.2').bootId).toBe(bootId);
    } finally {
      lab().clearFaults('lab-controlplane-3');
    }
    const healed = await planOf(['10.5.0.2']);
    expect(healed.etcd).toMatchObject({ healthy: 3 });
  });
});
