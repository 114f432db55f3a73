import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import type { ClusterHealth } from '../../shared/domain/health';
import { SCENARIO_KINDS, type StagedScenarioInfo } from '../../shared/domain/lab-scenarios';
import { labClient } from '../helpers/lab-identity';

/** The practice scenarios as the app stages them: the lab.* channels, validated, against the real in-process lab. */
let dir: string;
let services: Services;
let dispatch: Dispatch;
const pushed: StagedScenarioInfo[][] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-scenarios-'));
  services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: dir,
    env: {},
    home: dir,
    emit: (name, payload) => {
      if (name === 'lab.scenariosChanged') pushed.push(payload as StagedScenarioInfo[]);
    },
  });
  dispatch = createDispatcher(services, () => undefined);
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('practice scenarios staged from the app', () => {
  it('refuses to stage or heal while no practice cluster runs, and says what to do', async () => {
    expect(await dispatch('lab.scenarios', {})).toEqual({ ok: true, value: [] });
    const staged = await dispatch('lab.stage', { kind: 'crashloop' });
    expect(staged).toMatchObject({ ok: false, error: { code: 'LAB_NOT_RUNNING' } });
    expect(!staged.ok && staged.error.message).toMatch(/^Start the practice cluster first/);
    expect(await dispatch('lab.clearScenarios', {})).toMatchObject({ ok: false, error: { code: 'LAB_NOT_RUNNING' } });
  });

  it('validates every request before the lab sees it', async () => {
    const unknown = await dispatch('lab.stage', { kind: 'meltdown' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!unknown.ok && unknown.error.message).toContain(
      'crashloop, etcd-nospace, time-unsynced, disk-full, not-ready, kernel-oom, drift',
    );
    const service = await dispatch('lab.stage', { kind: 'disk-full', service: 'kubelet' });
    expect(!service.ok && service.error.message).toContain('Only the crashloop scenario takes a service');
    expect(await dispatch('lab.stage', { kind: 'crashloop', service: 'kube let; rm' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await dispatch('lab.stage', { kind: 'crashloop', extra: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('stages scenarios on the running lab, lists them with their evidence, pushes the list, and heals them all', async () => {
    expect(await dispatch('lab.start', { nodes: 3 })).toMatchObject({ ok: true });
    const lab = services.lab.current()!;
    pushed.length = 0;

    const crash = await dispatch('lab.stage', { kind: 'crashloop' });
    expect(crash).toEqual({
      ok: true,
      value: {
        kind: 'crashloop',
        node: { ip: '10.5.0.3', hostname: 'lab-worker-1' },
        service: 'kubelet',
        summary: 'kubelet exits with code 1 every 15 s and Talos restarts it forever',
        evidence: [
          'talosctl -n 10.5.0.3 service kubelet',
          'talosctl -n 10.5.0.3 events',
          'talosctl -n 10.5.0.3 logs kubelet',
          'talosctl -n 10.5.0.3 get machinestatus',
        ],
        since: expect.any(Number),
      },
    });
    const etcd = await dispatch('lab.stage', { kind: 'etcd-nospace', node: 'lab-controlplane-1' });
    expect(etcd).toMatchObject({ ok: true, value: { kind: 'etcd-nospace', node: { ip: '10.5.0.2' } } });
    const time = await dispatch('lab.stage', { kind: 'time-unsynced', node: '10.5.0.4' });
    expect(time).toMatchObject({ ok: true, value: { node: { hostname: 'lab-worker-2' } } });

    const listed = await dispatch('lab.scenarios', {});
    expect(listed.ok && (listed.value as StagedScenarioInfo[]).map((s) => `${s.kind}@${s.node.hostname}`)).toEqual([
      'crashloop@lab-worker-1',
      'etcd-nospace@lab-controlplane-1',
      'time-unsynced@lab-worker-2',
    ]);
    expect(pushed.map((list) => list.length)).toEqual([1, 2, 3]);

    // The evidence is on the practice cluster's nodes, read over its mTLS API as the app reads it.
    const reader = labClient(lab, 'reader');
    try {
      expect((await reader.etcdAlarms('10.5.0.2')).map((a) => a.alarm)).toContain('NOSPACE');
      expect((await reader.evidence.timeStatus('10.5.0.4')).synced).toBe(false);
      const kubelet = (await reader.services('10.5.0.3')).find((s) => s.id === 'kubelet')!;
      expect(kubelet.events.some((e) => /going to restart forever/.test(e.msg))).toBe(true);
      // The health rules see it as the Overview does.
      const health = await dispatch('health.cluster', { identityId: 'practice:reader@lab', nodes: ['10.5.0.2', '10.5.0.3', '10.5.0.4'] });
      expect(health.ok && (health.value as ClusterHealth).findings.map((f) => f.title)).toEqual(
        expect.arrayContaining([expect.stringContaining('kubelet is crash-looping on lab-worker-1')]),
      );

      const healed = await dispatch('lab.clearScenarios', {});
      expect(healed).toEqual({ ok: true, value: { healed: 3 } });
      expect(await dispatch('lab.scenarios', {})).toEqual({ ok: true, value: [] });
      expect(pushed.at(-1)).toEqual([]);
      expect(await reader.etcdAlarms('10.5.0.2')).toEqual([]);
      expect((await reader.evidence.timeStatus('10.5.0.4')).synced).toBe(true);
    } finally {
      reader.close();
    }
  });

  it('names the lab’s nodes for an unknown node, and refuses what a scenario cannot do', async () => {
    const real = await dispatch('lab.stage', { kind: 'crashloop', node: '192.168.1.10' });
    expect(real).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(!real.ok && real.error.message).toBe(
      'The practice cluster has no node "192.168.1.10". Its nodes: lab-controlplane-1 (10.5.0.2), lab-worker-1 (10.5.0.3), lab-worker-2 (10.5.0.4).',
    );
    const worker = await dispatch('lab.stage', { kind: 'etcd-nospace', node: 'lab-worker-1' });
    expect(worker).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(!worker.ok && worker.error.message).toBe(
      'etcd out of space cannot be staged: etcd-nospace needs a control plane; lab-worker-1 is a worker.',
    );
    const drift = await dispatch('lab.stage', { kind: 'drift', node: 'lab-controlplane-1' });
    expect(!drift.ok && drift.error.message).toContain('drift needs another controlplane to differ from');
    const service = await dispatch('lab.stage', { kind: 'crashloop', service: 'nginx' });
    expect(!service.ok && service.error.message).toMatch(
      /^Crash-looping service cannot be staged: lab-worker-1 has no service "nginx" \(services: .*kubelet/,
    );
    // Nothing half-staged is left behind by a refusal.
    expect(await dispatch('lab.scenarios', {})).toEqual({ ok: true, value: [] });

    expect(await dispatch('lab.stage', { kind: 'crashloop', service: 'containerd' })).toMatchObject({ ok: true });
    const twice = await dispatch('lab.stage', { kind: 'crashloop', node: 'lab-worker-1', service: 'containerd' });
    expect(twice).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } });
    expect(!twice.ok && twice.error.message).toBe(
      'Crash-looping service (containerd) is already staged on lab-worker-1. Pick another node, or Heal all first.',
    );

    // One scenario is healed on its own (by node IP or hostname); the others stay.
    expect(await dispatch('lab.stage', { kind: 'disk-full' })).toMatchObject({ ok: true });
    pushed.length = 0;
    expect(await dispatch('lab.heal', { kind: 'crashloop', node: 'lab-worker-1', service: 'containerd' })).toEqual({
      ok: true,
      value: { healed: 1 },
    });
    const left = await dispatch('lab.scenarios', {});
    expect(left.ok && (left.value as StagedScenarioInfo[]).map((s) => s.kind)).toEqual(['disk-full']);
    expect(pushed).toHaveLength(1);
    const again = await dispatch('lab.heal', { kind: 'crashloop', node: '10.5.0.3', service: 'containerd' });
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(!again.ok && again.error.message).toBe(
      'No "Crash-looping service" scenario is staged on 10.5.0.3; it may have been healed already.',
    );
    expect(await dispatch('lab.heal', { kind: 'disk-full', node: '10.5.0.3' })).toEqual({ ok: true, value: { healed: 1 } });
  });

  it('forgets the staged scenarios when the practice cluster stops', async () => {
    expect((await dispatch('lab.scenarios', {})).ok).toBe(true);
    await dispatch('lab.stop', {});
    expect(await dispatch('lab.scenarios', {})).toEqual({ ok: true, value: [] });
    expect(pushed.at(-1)).toEqual([]);
  });

  it('every scenario staged through lab.stage raises its finding, with evidence and a talosctl fix; none before', async () => {
    expect(await dispatch('lab.start', { nodes: 3 })).toMatchObject({ ok: true });
    const nodes = ['10.5.0.2', '10.5.0.3', '10.5.0.4'];
    const check = async () => {
      const health = await dispatch('health.cluster', { identityId: 'practice:admin@lab', nodes });
      if (!health.ok) throw new Error(health.error.message);
      return (health.value as ClusterHealth).findings;
    };
    expect(await check()).toEqual([]);
    for (const kind of SCENARIO_KINDS) expect(await dispatch('lab.stage', { kind }), kind).toMatchObject({ ok: true });
    const findings = await check();
    const fired = findings.map((f) => `${f.rule}@${f.node ?? 'cluster'}`);
    expect(fired).toEqual(
      expect.arrayContaining([
        'crashloop@10.5.0.3',
        'time-unsynced@10.5.0.3',
        'disk-pressure@10.5.0.3',
        'not-ready@10.5.0.3',
        'kernel-errors@10.5.0.3',
        'memory-pressure@10.5.0.3',
        'config-drift@10.5.0.4',
      ]),
    );
    expect(findings.some((f) => f.rule === 'etcd-alarm')).toBe(true);
    for (const f of findings) {
      expect(f.evidence.length, f.id).toBeGreaterThan(0);
      expect(f.fix.talosctl.length + f.fix.text.length, f.id).toBeGreaterThan(0);
    }
    expect(await dispatch('lab.clearScenarios', {})).toEqual({ ok: true, value: { healed: 7 } });
    await dispatch('lab.stop', {});
  });
});
