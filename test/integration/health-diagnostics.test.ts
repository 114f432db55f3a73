import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startLab, type Lab, type LabOptions } from '../../lab/cluster';
import type { ClusterHealth, Finding } from '../../shared/domain/health';
import type { TalosClient } from '../../electron/talos/client';
import { assessHealth, collectCluster } from '../../electron/services/health/cluster-health';
import { labClient } from '../helpers/lab-identity';

const CP = '10.5.0.2';
const W1 = '10.5.0.3';
const W2 = '10.5.0.4';
const ALL = [CP, W1, W2];

const open: { lab: Lab; client: TalosClient }[] = [];
afterEach(async () => {
  for (const { lab, client } of open.splice(0)) {
    client.close();
    await lab.stop();
  }
});

/** Cluster health as the app computes it: real mTLS to the lab, evidence read through the Talos client. */
async function health(
  options: LabOptions = {},
  who: 'admin' | 'reader' = 'admin',
  prepare?: (lab: Lab) => void,
): Promise<{ report: ClusterHealth; lab: Lab }> {
  const lab = await startLab({ nodes: 3, seed: 8, ...options });
  const client = labClient(lab, who);
  open.push({ lab, client });
  prepare?.(lab);
  const ctx = (parse(lab.talosconfig) as { contexts: Record<string, { ca: string; crt: string }> }).contexts[`${who}@${lab.cluster}`]!;
  const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  const notAfter = new Date(new X509Certificate(decode(ctx.crt)).validTo).toISOString();
  const nodes = options.nodes === 5 ? [...ALL, '10.5.0.5', '10.5.0.6'] : ALL;
  const identity = { context: `${who}@${lab.cluster}`, roles: [`os:${who}`], notAfter, caPem: decode(ctx.ca) };
  const evidence = await collectCluster(client, nodes, identity, Date.now);
  return { report: assessHealth(evidence, identity.context, Date.now()), lab };
}

function only(report: ClusterHealth, rule: Finding['rule'], node?: string): Finding {
  const found = report.findings.filter((f) => f.rule === rule && (!node || f.node === node));
  expect(found.map((f) => f.title)).toHaveLength(1);
  return found[0]!;
}

describe('cluster health and diagnostics against the practice cluster', () => {
  it('a healthy lab passes every check and raises no finding', async () => {
    const { report } = await health();
    expect(report.findings.map((f) => `${f.rule}: ${f.title}`)).toEqual([]);
    const notPass = report.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}@${c.node}: ${c.verdict} ${c.summary}`);
    expect(notPass).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.nodes.map((n) => [n.node, n.role, n.verdict])).toEqual([
      [CP, 'controlplane', 'pass'],
      [W1, 'worker', 'pass'],
      [W2, 'worker', 'pass'],
    ]);
    const ids = new Set(report.checks.map((c) => c.id));
    for (const id of [
      'nodes-answer',
      'machine-ready',
      'services',
      'time-synced',
      'static-pods',
      'etcd-member',
      'etcd-cluster',
      'memory',
      'mounts',
      'versions-worker',
      'identity-expiry',
      'ca-expiry',
      'config-drift',
    ])
      expect(ids).toContain(id);
    for (const c of report.checks) {
      expect(c.talosctl).toMatch(/^talosctl /);
      expect(c.checkedAt).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('a node whose calls fail is unknown, never pass, and says why', async () => {
    const { report } = await health({}, 'admin', (lab) => lab.setUnreachable(W2, true));
    const w2 = report.nodes.find((n) => n.node === W2)!;
    expect(w2).toMatchObject({ verdict: 'unknown', answered: false });
    expect(w2.failures[0]!.message).toMatch(/.+/);
    const checks = report.checks.filter((c) => c.node === W2);
    expect(checks.length).toBeGreaterThan(5);
    expect(checks.every((c) => c.verdict === 'unknown' && /could not be read/.test(c.summary))).toBe(true);
    expect(report.checks.find((c) => c.id === 'nodes-answer')).toMatchObject({ verdict: 'fail' });
    expect(report.nodes.find((n) => n.node === W1)!.verdict).toBe('pass');
    expect(only(report, 'node-unreachable', W2).evidence[0]!.text).toMatch(/UNAVAILABLE|unreachable|not answer/i);
  });

  it('a reader cannot compare configs: drift is unknown with the reason', async () => {
    const { report } = await health({ scenarios: ['drift'] }, 'reader');
    expect(report.checks.find((c) => c.id === 'config-drift')).toMatchObject({
      verdict: 'unknown',
      summary: expect.stringMatching(/needs os:admin/),
    });
    expect(report.findings.filter((f) => f.rule === 'config-drift')).toEqual([]);
  });

  it('crashloop: restarts counted, last exit reason, the log line at the crash, the fix', async () => {
    const { report } = await health({ scenarios: ['crashloop'] });
    const f = only(report, 'crashloop', W1);
    expect(f.title).toBe('kubelet is crash-looping on lab-worker-1');
    expect(f.detail).toMatch(/^\d+ restarts in \d+ min; last exit: task "kubelet" failed: exit code 1/);
    expect(Number(/^(\d+)/.exec(f.detail)![1])).toBeGreaterThanOrEqual(30);
    expect(f.since).toBeLessThan(Date.now() - 5 * 60_000);
    expect(f.evidence.some((e) => e.label === 'kubelet service event' && /going to restart forever/.test(e.text) && e.at)).toBe(true);
    const log = f.evidence.find((e) => e.label === 'kubelet log')!;
    expect(log.text).toContain('Failed to run kubelet');
    expect(log.source).toEqual({ kind: 'service', id: 'kubelet' });
    expect(log.at).toBeGreaterThan(0);
    expect(f.fix.talosctl[0]).toBe(`talosctl --context admin@lab -n ${W1} logs kubelet --tail 100`);
    expect(report.checks.find((c) => c.id === 'services' && c.node === W1)).toMatchObject({ verdict: 'fail' });
    expect(report.nodes.find((n) => n.node === W1)!.verdict).toBe('fail');
  });

  it('etcd-nospace: the alarm, DB at quota, the log line, defrag each member then disarm', async () => {
    const { report } = await health({ nodes: 5, controlPlanes: 3, scenarios: ['etcd-nospace'] });
    const f = only(report, 'etcd-alarm');
    expect(f.title).toMatch(/^etcd NOSPACE alarm/);
    expect(f.evidence.filter((e) => e.label === 'EtcdAlarmList')[0]!.text).toMatch(/^member [0-9a-f]{16}: NOSPACE$/);
    expect(f.evidence.filter((e) => e.label === 'EtcdStatus')).toHaveLength(3);
    expect(f.evidence.find((e) => e.label === 'EtcdStatus')!.text).toMatch(/DB 2\.00 GiB of 2 GiB quota/);
    expect(f.evidence.find((e) => e.label === 'etcd log')!.text).toMatch(/alarm raised/);
    expect(f.since).toBeGreaterThan(0);
    expect(f.fix.talosctl).toEqual([
      `talosctl --context admin@lab -n ${CP} etcd defrag`,
      'talosctl --context admin@lab -n 10.5.0.3 etcd defrag',
      'talosctl --context admin@lab -n 10.5.0.4 etcd defrag',
      `talosctl --context admin@lab -n ${CP} etcd alarm disarm`,
    ]);
    expect(report.checks.filter((c) => c.id === 'etcd-member').every((c) => c.verdict === 'fail')).toBe(true);
  });

  it('time-unsynced: TimeStatus, the unmet condition and the sync errors', async () => {
    const { report } = await health({ scenarios: ['time-unsynced'] });
    const f = only(report, 'time-unsynced', W1);
    expect(f.evidence[0]).toMatchObject({ label: 'TimeStatus', text: 'synced false, epoch 1, syncDisabled false' });
    expect(f.evidence.find((e) => e.label === 'controller-runtime log')!.text).toMatch(/time query error/);
    expect(f.detail).toMatch(/time is not synced/);
    expect(f.fix.talosctl[0]).toBe(`talosctl --context admin@lab -n ${W1} time --check time.cloudflare.com`);
    expect(report.checks.find((c) => c.id === 'time-synced' && c.node === W1)).toMatchObject({ verdict: 'fail' });
  });

  it('disk-full: /var 98.6 % with the kubelet evicting, and how to find what fills it', async () => {
    const { report } = await health({ scenarios: ['disk-full'] });
    const f = only(report, 'disk-pressure', W1);
    expect(f.title).toBe('/var is 98.6 % full on lab-worker-1');
    expect(f.evidence.find((e) => e.label === 'kubelet log')!.text).toMatch(/Eviction manager|garbage collect/);
    expect(f.fix.talosctl.join('\n')).toContain(`-n ${W1} usage /var --depth 2`);
    expect(report.checks.find((c) => c.id === 'mounts' && c.node === W1)).toMatchObject({ verdict: 'fail' });
  });

  it('not-ready: the unmet nodeReady condition, PLEG in the kubelet log, restart the kubelet as a plan', async () => {
    const { report } = await health({ scenarios: ['not-ready'] });
    const f = only(report, 'not-ready', W1);
    expect(f.title).toMatch(/lab-worker-1 is not ready: .*nodeReady/);
    expect(f.evidence.find((e) => e.label === 'kubelet log')!.text).toMatch(/PLEG is not healthy/);
    expect(f.evidence.some((e) => e.label === 'NodeStatus')).toBe(true);
    expect(f.fix.talosctl).toContain(`talosctl --context admin@lab -n ${W1} service kubelet restart`);
    expect(f.fix.plan).toEqual({
      label: 'Plan kubelet restart',
      nodes: [W1],
      action: { kind: 'service', service: 'kubelet', action: 'restart' },
    });
  });

  it('kernel-oom: the OOM kills from dmesg with their times, and memory pressure', async () => {
    const { report } = await health({ scenarios: ['kernel-oom'] });
    const f = only(report, 'kernel-errors', W1);
    expect(f.title).toBe('The kernel OOM killer ran on lab-worker-1 (2 kills: java)');
    const kill = f.evidence.find((e) => /Out of memory: Killed process \d+ \(java\)/.test(e.text))!;
    expect(kill).toMatchObject({ label: 'dmesg', source: { kind: 'kernel', id: 'kernel' } });
    expect(kill.at).toBeGreaterThan(Date.now() - 3_600_000);
    expect(f.since).toBeLessThan(kill.at!);
    expect(f.fix.talosctl[0]).toBe(`talosctl --context admin@lab -n ${W1} dmesg`);
    expect(only(report, 'memory-pressure', W1).title).toMatch(/Memory is 9\d\.\d % used/);
  });

  it('drift: the node whose config differs from its role, secrets and per-node fields excluded', async () => {
    const { report } = await health({ scenarios: ['drift'] });
    const f = only(report, 'config-drift', W2);
    expect(f.title).toBe("lab-worker-2's machine config differs from the other workers");
    expect(f.evidence.map((e) => e.text)).toEqual(expect.arrayContaining(['machine.sysctls', 'machine.kubelet.extraArgs']));
    expect(f.detail).toContain(W1);
    expect(report.checks.find((c) => c.id === 'config-drift')).toMatchObject({ verdict: 'warn' });
  });
});
