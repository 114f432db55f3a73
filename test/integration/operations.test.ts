import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import { QUORUM_OVERRIDE_PHRASE, type Operation, type OperationAction } from '../../shared/domain/operation';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import type { Lab } from '../../lab/cluster';
import { reboot as labReboot, timings } from '../../lab/server/lifecycle';

let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;
const changes: Operation[] = [];
const admin = 'practice:admin@lab';

async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as Response<C>;
}
async function failure(channel: Channel, request: unknown): Promise<{ code: string; message: string }> {
  const result = await dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} succeeded`);
  return result.error;
}

const lab = (): Lab => services.lab.current()!;
const reboot: OperationAction = { kind: 'reboot', mode: 'default' };
const planOf = (nodes: string[], action: OperationAction = reboot, workerBatchSize = 1, gateTimeoutSeconds = 20) =>
  call('operations.plan', { identityId: admin, nodes, action, workerBatchSize, gateTimeoutSeconds });

async function run(planId: string, o: { clusterName?: string | null; quorumOverride?: string | null } = {}): Promise<Operation> {
  const started = await call('operations.start', { planId, clusterName: o.clusterName ?? null, quorumOverride: o.quorumOverride ?? null });
  await services.operations.finished(started.id);
  return services.operations.list().find((op) => op.id === started.id)!;
}

async function restartLab(nodes: number, controlPlanes: number): Promise<void> {
  await call('lab.stop', {});
  await call('lab.start', { nodes, controlPlanes });
}

/** Samples which control planes are down while `work` runs. */
async function watchControlPlanesDown(work: Promise<unknown>): Promise<number> {
  let most = 0;
  let running = true;
  void work.finally(() => (running = false));
  while (running) {
    const down = lab().nodes.filter((n) => n.id.type === 'controlplane' && !n.reachable).length;
    most = Math.max(most, down);
    await new Promise((r) => setTimeout(r, 10));
  }
  return most;
}

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-operations-'));
  services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: dir,
    emit: (name, payload) => name === 'operations.changed' && changes.push(payload as Operation),
    env: {},
    home: dir,
    operations: { pollMs: 50 },
  });
  dispatch = createDispatcher(services, () => undefined);
  await call('vault.setup', { passphrase: 'operations test passphrase' });
  await call('lab.start', { nodes: 4, controlPlanes: 1 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('a rolling reboot of 1 control plane and 3 workers', () => {
  it('plans control plane first, then workers one by one in the order chosen, with each step’s gates and talosctl line', async () => {
    const plan = await planOf(['10.5.0.4', '10.5.0.3', '10.5.0.2', '10.5.0.5']);
    expect(plan.steps.map((s) => [s.node, s.role, s.batch])).toEqual([
      ['10.5.0.2', 'controlplane', 1],
      ['10.5.0.4', 'worker', 2],
      ['10.5.0.3', 'worker', 3],
      ['10.5.0.5', 'worker', 4],
    ]);
    expect(plan.steps[0]!.gates.map((g) => g.id)).toEqual(['down', 'boot', 'etcd', 'services', 'ready']);
    expect(plan.steps[1]!.gates.map((g) => g.id)).toEqual(['down', 'boot', 'services', 'ready']);
    expect(plan.steps[0]!.talosctl).toBe("talosctl --context 'practice admin@lab' -n 10.5.0.2 reboot");
    expect(plan.steps[0]!.hostname).toBe('lab-controlplane-1');
    expect(plan.cluster).toBe('lab');
    expect(plan.drain).toMatch(/not drained/);
    expect(plan.typeClusterName).toBe(true);
    // The sole control plane is refused by the quorum guard; the etcd reading says why.
    expect(plan.refusals).toEqual([{ node: '10.5.0.2', reason: expect.stringMatching(/only control plane/) }]);
    expect(plan.etcd).toMatchObject({ voters: 1, healthy: 1, quorum: 1, tolerance: 0, hasLeader: true });
  });

  it('completes in order with every gate passed (the sole control plane only with the typed override)', async () => {
    const plan = await planOf(['10.5.0.2', '10.5.0.3', '10.5.0.4', '10.5.0.5']);
    const bootIds = lab().nodes.map((n) => n.bootId);
    expect(await failure('operations.start', { planId: plan.id, clusterName: 'lab', quorumOverride: null })).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/quorum guard refuses 10\.5\.0\.2.*override quorum guard/),
    });
    expect(
      await failure('operations.start', { planId: plan.id, clusterName: 'wrong', quorumOverride: QUORUM_OVERRIDE_PHRASE }),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('Type the cluster name "lab"'),
    });
    const op = await run(plan.id, { clusterName: 'lab', quorumOverride: QUORUM_OVERRIDE_PHRASE });
    expect(op.state).toBe('succeeded');
    expect(op.quorumOverride).toBe(true);
    expect(op.steps.map((s) => s.stage)).toEqual(['done', 'done', 'done', 'done']);
    for (const step of op.steps)
      expect(
        step.gates.every((g) => g.status === 'passed'),
        step.node,
      ).toBe(true);
    expect(op.steps[0]!.gates.find((g) => g.id === 'boot')!.detail).toMatch(/new boot id/);
    // In order: each step started after the one before it ended.
    for (let i = 1; i < op.steps.length; i++) expect(op.steps[i]!.startedAt! >= op.steps[i - 1]!.endedAt!).toBe(true);
    expect(
      lab()
        .nodes.map((n) => n.bootId)
        .every((id, i) => id !== bootIds[i]),
    ).toBe(true);
    // The renderer saw the roll move through Talos' sequence, the reboot and the checks.
    const order = ['waiting', 'preflight', 'sent', 'sequence', 'rebooting', 'booting', 'checking', 'done'];
    const seen = changes.filter((c) => c.id === op.id).map((c) => c.steps.find((s) => s.node === '10.5.0.3')!.stage);
    const distinct = seen.filter((stage, i) => stage !== seen[i - 1]);
    expect(distinct).toContain('rebooting');
    expect(distinct.at(-1)).toBe('done');
    expect(distinct.map((stage) => order.indexOf(stage))).toEqual([...distinct.map((stage) => order.indexOf(stage))].sort((a, b) => a - b));
    // A plan runs once.
    expect(
      await failure('operations.start', { planId: plan.id, clusterName: 'lab', quorumOverride: QUORUM_OVERRIDE_PHRASE }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the audit trail of an operation', () => {
  it('holds one operation: the plan, each step sent, each gate result and the final outcome', async () => {
    const plan = await planOf(['10.5.0.3', '10.5.0.4'], { kind: 'service', service: 'kubelet', action: 'restart' });
    const op = await run(plan.id);
    expect(op.state).toBe('succeeded');
    const entries = (await services.audit.entries()).filter((e) => e.operation === op.id);
    expect(entries.map((e) => [e.kind, e.step ?? ''])).toEqual([
      ['intent', ''],
      ['outcome', '10.5.0.3: service sent'],
      ['outcome', '10.5.0.3: gates passed'],
      ['outcome', '10.5.0.4: service sent'],
      ['outcome', '10.5.0.4: gates passed'],
      ['outcome', ''],
    ]);
    expect(entries[0]).toMatchObject({
      method: '/machine.MachineService/ServiceRestart',
      nodes: ['10.5.0.3', '10.5.0.4'],
      identity: { name: 'practice admin@lab' },
      args: { summary: 'restart service kubelet', order: ['1. 10.5.0.3 (lab-worker-1, worker)', '2. 10.5.0.4 (lab-worker-2, worker)'] },
      talosctl:
        "talosctl --context 'practice admin@lab' -n 10.5.0.3 service kubelet restart && talosctl --context 'practice admin@lab' -n 10.5.0.4 service kubelet restart",
    });
    expect(entries.at(-1)!.outcomes).toEqual([
      expect.objectContaining({ node: '10.5.0.3', ok: true }),
      expect.objectContaining({ node: '10.5.0.4', ok: true }),
    ]);
    expect(entries[2]!.outcomes[0]!.message).toMatch(/kubelet is running and healthy/);
  });
  it('sends nothing when the trail cannot be written', async () => {
    const plan = await planOf(['10.5.0.3']);
    const before = lab().node('10.5.0.3').bootId;
    await call('vault.lock', {});
    try {
      expect(await failure('operations.start', { planId: plan.id, clusterName: null, quorumOverride: null })).toMatchObject({
        code: 'AUDIT_UNAVAILABLE',
      });
    } finally {
      await call('vault.unlock', { passphrase: 'operations test passphrase' });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(lab().node('10.5.0.3').bootId).toBe(before);
    expect(services.operations.list().some((o) => o.planId === plan.id)).toBe(false);
  });
});

describe('cancel during a roll', () => {
  it('lets the step already sent finish on its node and leaves the remaining nodes untouched', async () => {
    const plan = await planOf(['10.5.0.3', '10.5.0.4', '10.5.0.5']);
    const before = lab().nodes.map((n) => n.bootId);
    const started = await call('operations.start', { planId: plan.id, clusterName: null, quorumOverride: null });
    while (!services.operations.list().find((o) => o.id === started.id)!.steps[0]!.actorId) await new Promise((r) => setTimeout(r, 10));
    const cancelling = await call('operations.control', { operationId: started.id, action: 'cancel' });
    expect(cancelling.requested).toBe('cancel');
    await services.operations.finished(started.id);
    const op = services.operations.list().find((o) => o.id === started.id)!;
    expect(op.state).toBe('cancelled');
    expect(op.reason).toMatch(/Cancelled by practice admin@lab after 0 of 3 step\(s\)/);
    expect(op.steps.map((s) => s.stage).slice(1)).toEqual(['untouched', 'untouched']);
    // The reboot that was sent still happens...
    const first = lab().node('10.5.0.3');
    for (let i = 0; i < 300 && (first.bootId === before[1] || !first.reachable); i++) await new Promise((r) => setTimeout(r, 20));
    expect(first.bootId).not.toBe(before[1]);
    expect(first.reachable).toBe(true);
    // ...and nothing was sent to the others.
    expect([lab().node('10.5.0.4').bootId, lab().node('10.5.0.5').bootId]).toEqual([before[2], before[3]]);
    const final = (await services.audit.entries()).filter((e) => e.operation === op.id).at(-1)!;
    expect(final.step).toBeUndefined();
    expect(final.outcomes.slice(1)).toEqual([
      expect.objectContaining({ node: '10.5.0.4', ok: false, code: 'CANCELLED', message: expect.stringMatching(/^not touched/) }),
      expect.objectContaining({ node: '10.5.0.5', ok: false, code: 'CANCELLED' }),
    ]);
  });

  it('pauses between steps and resumes', async () => {
    const plan = await planOf(['10.5.0.3', '10.5.0.4'], { kind: 'service', service: 'kubelet', action: 'restart' });
    const started = await call('operations.start', { planId: plan.id, clusterName: null, quorumOverride: null });
    await call('operations.control', { operationId: started.id, action: 'pause' });
    const current = () => services.operations.list().find((o) => o.id === started.id)!;
    while (current().state !== 'paused') await new Promise((r) => setTimeout(r, 10));
    expect(current().steps.map((s) => s.stage)).toEqual(['done', 'waiting']);
    await new Promise((r) => setTimeout(r, 200));
    expect(current().steps[1]!.stage).toBe('waiting');
    await call('operations.control', { operationId: started.id, action: 'resume' });
    await services.operations.finished(started.id);
    expect(current().state).toBe('succeeded');
  });
});

describe('every kind of operation', () => {
  it('upgrades with the options Talos supports and gates on the new version', async () => {
    const action: OperationAction = {
      kind: 'upgrade',
      image: 'ghcr.io/siderolabs/installer:v1.13.10',
      stage: true,
      force: false,
      preserve: true,
      rebootMode: 'default',
    };
    const plan = await planOf(['10.5.0.3'], action);
    expect(plan.title).toBe('Rolling upgrade to v1.13.10 of 1 node');
    expect(plan.steps[0]!.talosctl).toBe(
      "talosctl --context 'practice admin@lab' -n 10.5.0.3 upgrade --image ghcr.io/siderolabs/installer:v1.13.10 --stage --preserve  # legacy MachineService/Upgrade",
    );
    expect(plan.steps[0]!.gates.map((g) => g.id)).toEqual(['down', 'boot', 'version', 'services', 'ready']);
    expect(plan.typeClusterName).toBe(false);
    const op = await run(plan.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(op.steps[0]!.gates.find((g) => g.id === 'version')!.detail).toBe('runs v1.13.10');
    expect(lab().node('10.5.0.3').talosVersion).toBe('v1.13.10');
  });

  it('shuts a worker down and gates on it no longer answering', async () => {
    const plan = await planOf(['10.5.0.5'], { kind: 'shutdown', force: true });
    expect(plan.steps[0]!.talosctl).toMatch(/ shutdown --force$/);
    const op = await run(plan.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(op.steps[0]!.gates[0]).toMatchObject({ id: 'off', status: 'passed', detail: expect.stringMatching(/no longer answering/) });
    const node = lab().node('10.5.0.5');
    expect(node.reachable).toBe(false);
    lab().powerOn('10.5.0.5');
    // The boot sequence runs on the lab's timers, which a loaded machine stretches.
    await expect.poll(() => node.reachable, { timeout: 30_000 }).toBe(true);
  });

  it('fails a step at once, naming the lock, when the node refuses the reboot because another sequence runs', async () => {
    const node = lab().node('10.5.0.4');
    const plan = await planOf(['10.5.0.4']);
    const step = timings.stepMs;
    // Someone else's reboot, slowed so the node keeps answering for a few seconds while it holds the sequence lock.
    timings.stepMs = 150;
    try {
      labReboot(node, 'someone-else');
      const op = await run(plan.id);
      expect(op.state).toBe('failed');
      expect(op.steps[0]!.failure!.message).toMatch(
        /^the node refused to start the reboot sequence \(sequence not started: locked\): it is still running another sequence/,
      );
      expect(op.steps[0]!.reports).toContain('sequence reboot ended: sequence not started: locked');
    } finally {
      timings.stepMs = step;
    }
    await expect.poll(() => node.reachable && node.sequence === null && node.ready, { timeout: 30_000 }).toBe(true);
  });

  it('applies a config with a dry-run diff per node in the plan', async () => {
    const yaml = lab().node('10.5.0.3').config.active.replace('machine:\n', 'machine:\n    sysctls:\n        vm.max_map_count: "262144"\n');
    const action: OperationAction = { kind: 'apply-config', yaml, mode: 'no-reboot', tryTimeoutSeconds: 60 };
    const plan = await planOf(['10.5.0.3', '10.5.0.4'], action);
    expect(plan.blockers).toEqual([]);
    expect(plan.steps[0]!.dryRun).toMatch(/Dry run summary:[\s\S]*\+\s+vm\.max_map_count: "262144"/);
    // The same file differs on the second worker in more than the sysctl (its own hostname and address).
    expect(plan.steps[1]!.dryRun).toMatch(/-\s+hostname: lab-worker-2/);
    expect(plan.warnings.join(' ')).toMatch(/same config goes to 2 nodes/);
    const single = await planOf(['10.5.0.3'], action);
    const op = await run(single.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(lab().node('10.5.0.3').config.active).toContain('vm.max_map_count');
  });

  it('blocks a plan the identity cannot run, or whose dry run the node refuses', async () => {
    const reader = await call('operations.plan', {
      identityId: 'practice:reader@lab',
      nodes: ['10.5.0.3'],
      action: reboot,
      workerBatchSize: 1,
      gateTimeoutSeconds: 30,
    });
    expect(reader.blockers).toEqual([expect.stringMatching(/needs os:admin or os:operator; this identity has os:reader/)]);
    expect(await failure('operations.start', { planId: reader.id, clusterName: null, quorumOverride: null })).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/cannot run/),
    });
    const broken = await planOf(['10.5.0.3'], { kind: 'apply-config', yaml: 'machine: [', mode: 'auto', tryTimeoutSeconds: 60 });
    expect(broken.blockers).toEqual([expect.stringMatching(/^The dry run on 10\.5\.0\.3 failed: /)]);
  });
});

describe('the quorum guard with 3 control planes', () => {
  beforeAll(async () => restartLab(5, 3));

  // Known lab bug, not the engine's: rarely, a worker's new boot leaves one service in Preparing (its Running
  // timer never fires), and the services gate then fails after 20 s. Retried so CI is not hostage to it.
  it('rolls all five nodes without ever taking two control planes down at once', { retry: 2 }, async () => {
    const plan = await planOf(['10.5.0.2', '10.5.0.3', '10.5.0.4', '10.5.0.5', '10.5.0.6'], reboot, 2);
    expect(plan.refusals).toEqual([]);
    expect(plan.etcd).toMatchObject({ voters: 3, healthy: 3, quorum: 2, tolerance: 1 });
    expect(plan.steps.map((s) => s.batch)).toEqual([1, 2, 3, 4, 4]);
    const started = await call('operations.start', { planId: plan.id, clusterName: 'lab', quorumOverride: null });
    const most = await watchControlPlanesDown(services.operations.finished(started.id));
    const op = services.operations.list().find((o) => o.id === started.id)!;
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(most).toBe(1);
  });

  it('refuses a control plane whose member would leave etcd below quorum, live as well as in the plan', async () => {
    const shutdown = await planOf(['10.5.0.2', '10.5.0.3', '10.5.0.4'], { kind: 'shutdown', force: false });
    expect(shutdown.refusals.map((r) => r.node)).toEqual(['10.5.0.3', '10.5.0.4']);
    expect(shutdown.refusals[0]!.reason).toMatch(/would leave 1 of 3 etcd members healthy, below the quorum of 2/);

    lab().setUnreachable('10.5.0.4', true);
    try {
      const plan = await planOf(['10.5.0.2'], reboot);
      expect(plan.refusals).toEqual([{ node: '10.5.0.2', reason: expect.stringMatching(/would leave 1 of 3 etcd members healthy/) }]);
      expect(plan.etcd!.members.find((m) => m.node === '10.5.0.4')).toMatchObject({ healthy: false });
      expect(plan.warnings.join(' ')).toMatch(/not healthy now: lab-controlplane-3/);
    } finally {
      lab().setUnreachable('10.5.0.4', false);
    }
  });
});
