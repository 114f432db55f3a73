import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import type { Operation } from '../../shared/domain/operation';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import { GATES } from '../../electron/services/operations/step-kinds';
import type { Lab } from '../../lab/cluster';
import { timings } from '../../lab/server/lifecycle';

/** Rolls that meet a fault the lab injects (a service that stays unhealthy, a node that never returns, etcd without a leader). */

let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;
const changes: Operation[] = [];

async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as Response<C>;
}

const lab = (): Lab => services.lab.current()!;

async function rollingReboot(nodes: string[], clusterName: string | null = null): Promise<Operation> {
  const plan = await call('operations.plan', {
    identityId: 'practice:admin@lab',
    nodes,
    action: { kind: 'reboot', mode: 'default' },
    workerBatchSize: 1,
    gateTimeoutSeconds: 10,
  });
  expect(plan.refusals).toEqual([]);
  const started = await call('operations.start', { planId: plan.id, clusterName, quorumOverride: null });
  await services.operations.finished(started.id);
  return services.operations.list().find((op) => op.id === started.id)!;
}

async function auditOf(op: Operation) {
  return (await services.audit.entries()).filter((e) => e.operation === op.id);
}

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-operations-faults-'));
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
  await call('vault.setup', { passphrase: 'operations faults passphrase' });
  await call('lab.start', { nodes: 4, controlPlanes: 1 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('a roll that meets a fault stops there and leaves the later nodes untouched', () => {
  it('a service that stays unhealthy after the reboot: stops at that node and names the service and its health check', async () => {
    lab().injectFault({ node: 'lab-worker-2', kind: 'service-unhealthy', service: 'kubelet' });
    const untouched = lab().node('10.5.0.5').bootId;
    try {
      const op = await rollingReboot(['10.5.0.3', '10.5.0.4', '10.5.0.5']);
      expect(op.state).toBe('failed');
      expect(op.steps.map((s) => s.stage)).toEqual(['done', 'failed', 'untouched']);
      const failed = op.steps[1]!;
      expect(failed.failure).toEqual({
        check: GATES.services,
        message: expect.stringContaining(
          'kubelet is unhealthy: Health check failed: Get "http://127.0.0.1:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection refused',
        ),
      });
      expect(failed.gates.map((g) => [g.id, g.status])).toEqual([
        ['down', 'passed'],
        ['boot', 'passed'],
        ['services', 'failed'],
        ['ready', 'pending'],
      ]);
      expect(op.reason).toMatch(
        /^Stopped at 10\.5\.0\.4 \(lab-worker-2\), step 2 of 3: every service that was healthy before is healthy again — kubelet is unhealthy: Health check failed: .*\(still after 10 s\)$/,
      );
      // Nothing was sent to the third worker.
      expect(lab().node('10.5.0.5').bootId).toBe(untouched);
      expect(op.steps[2]!.startedAt).toBeNull();

      // One operation in the audit trail: the plan, each step sent, each gate result, and the final outcome.
      const entries = await auditOf(op);
      expect(entries.map((e) => [e.kind, e.step ?? ''])).toEqual([
        ['intent', ''],
        ['outcome', '10.5.0.3: reboot sent'],
        ['outcome', '10.5.0.3: gates passed'],
        ['outcome', '10.5.0.4: reboot sent'],
        ['outcome', '10.5.0.4: failed'],
        ['outcome', ''],
      ]);
      expect(entries[0]!.args).toMatchObject({ title: 'Rolling reboot of 3 nodes' });
      expect(entries.at(-1)!.outcomes).toEqual([
        expect.objectContaining({ node: '10.5.0.3', ok: true }),
        expect.objectContaining({ node: '10.5.0.4', ok: false, message: expect.stringContaining('kubelet is unhealthy') }),
        expect.objectContaining({ node: '10.5.0.5', ok: false, code: 'CANCELLED', message: expect.stringMatching(/^not touched/) }),
      ]);
    } finally {
      lab().clearFaults();
    }
  });

  it('shows Talos’ own sequence, phases and tasks per node: the reboot until apid stops, then the new boot', async () => {
    const op = await rollingReboot(['10.5.0.3']);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    const reports = op.steps[0]!.reports;
    const at = (line: string) => {
      const i = reports.indexOf(line);
      expect(i, `${line} in\n${reports.join('\n')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // The reboot sequence of this step (matched by its actor id) in Talos' order...
    const order = [
      'sequence reboot started',
      'reboot › cleanup › stopAllPods',
      'reboot › dbus › stopDBus',
      'reboot › denyNewServices › denyNewServices',
      'reboot › stopServices › stopServicesForUpgrade',
      'reboot › umount › unmountPodMounts',
      'reboot › volumeFinalize › teardownLifecycle',
      'reboot › stopEverything › stopAllServices',
      'the node closed its event stream (going down)',
      // ...then the new boot's own sequences, read once it answers again.
      'sequence initialize started',
      'initialize › config › loadConfig',
      'sequence boot started',
      'boot › ephemeral › mountEphemeralPartition',
      'boot › startEverything › startAllServices',
      'sequence boot finished',
    ].map(at);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(reports.some((r) => /^kubelet: Stopping/.test(r))).toBe(true);
    expect(reports.some((r) => /^kubelet: Running/.test(r))).toBe(true);
    // The stage moved through Talos' sequence and the reboot to done (snapshots go out at most every 100 ms, so the
    // lab's fast new boot may pass between two of them).
    const seen = changes.filter((c) => c.id === op.id).map((c) => c.steps[0]!.stage);
    const distinct = seen.filter((stage, i) => stage !== seen[i - 1]);
    expect(distinct).toEqual(expect.arrayContaining(['sequence', 'rebooting', 'done']));
    expect(distinct.indexOf('sequence')).toBeLessThan(distinct.indexOf('rebooting'));
    // What the renderer saw while it ran: the trail growing with Talos' own words.
    const trails = changes.filter((c) => c.id === op.id).map((c) => c.steps[0]!.reports.length);
    expect(new Set(trails).size).toBeGreaterThan(2);
  });

  it('a node that never comes back: stops at “answers again”, after the gate timeout, and touches no further node', async () => {
    lab().injectFault({ node: '10.5.0.3', kind: 'never-returns' });
    const untouched = lab().node('10.5.0.4').bootId;
    try {
      const op = await rollingReboot(['10.5.0.3', '10.5.0.4']);
      expect(op.state).toBe('failed');
      expect(op.steps.map((s) => s.stage)).toEqual(['failed', 'untouched']);
      expect(op.steps[0]!.failure!.check).toBe(GATES.boot);
      expect(op.reason).toMatch(
        /^Stopped at 10\.5\.0\.3 \(lab-worker-1\), step 1 of 2: the node answers again with a new boot — not answering yet: .*\(still after 10 s\)$/,
      );
      expect(lab().node('10.5.0.4').bootId).toBe(untouched);
    } finally {
      lab().clearFaults();
    }
    await expect.poll(() => lab().node('10.5.0.3').reachable, { timeout: 10_000 }).toBe(true);
  });
});

describe('a control plane whose etcd member loses its leader', () => {
  beforeAll(async () => {
    await call('lab.stop', {});
    await call('lab.start', { nodes: 5, controlPlanes: 3 });
  });

  it('stops the roll at that control plane because etcd has no leader, and the audit trail says so', async () => {
    lab().injectFault({ node: 'lab-controlplane-2', kind: 'etcd-no-leader' });
    const untouched = lab().node('10.5.0.4').bootId;
    try {
      const op = await rollingReboot(['10.5.0.2', '10.5.0.3', '10.5.0.4'], 'lab');
      expect(op.state).toBe('failed');
      expect(op.steps.map((s) => s.stage)).toEqual(['done', 'failed', 'untouched']);
      expect(op.steps[1]!.failure).toEqual({ check: GATES.etcd, message: expect.stringContaining('etcd has no leader') });
      expect(op.reason).toMatch(
        /^Stopped at 10\.5\.0\.3 \(lab-controlplane-2\), step 2 of 3: the etcd member is healthy and the cluster has a leader — etcd has no leader/,
      );
      expect(lab().node('10.5.0.4').bootId).toBe(untouched);
      const entries = await auditOf(op);
      expect(entries[0]!.args).toMatchObject({ title: 'Rolling reboot of 3 nodes' });
      expect(entries.at(-1)!.outcomes[1]).toMatchObject({
        node: '10.5.0.3',
        ok: false,
        message: expect.stringMatching(/Stopped at 10\.5\.0\.3 .*etcd has no leader/),
      });
    } finally {
      lab().clearFaults();
    }
  });
});
