import { describe, expect, it } from 'vitest';
import { worstVerdict } from '../../../shared/domain/health';
import type { TalosService } from '../../../shared/domain/talos';
import { nodeChecks } from './checks';
import type { ClusterEvidence, NodeEvidence } from './evidence';
import { errorJump, findings } from './rules';
import { restartsWithin } from '../../../shared/service-history';

const NOW = Date.parse('2026-11-29T08:00:00Z');
const T = { context: 'admin@lab', nodes: [] };
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

function node(over: Partial<NodeEvidence> = {}): NodeEvidence {
  return {
    node: '10.5.0.3',
    answered: true,
    hostname: 'w1',
    role: 'worker',
    version: { tag: 'v1.13.9', sha: '', goVersion: '', os: '', arch: '', platform: '', platformMode: '' },
    services: [],
    machineStatus: { stage: 'running', ready: true, unmetConditions: [] },
    timeStatus: { synced: true, epoch: 1, syncDisabled: false },
    staticPods: null,
    nodeStatuses: [{ nodename: 'w1', nodeReady: true, unschedulable: false, labels: {} }],
    diagnostics: [],
    memory: { totalMb: 1000, usedMb: 300, freeMb: 0, sharedMb: 0, buffersMb: 0, cacheMb: 0, availableMb: 700 },
    load: { load1: 0.2, load5: 0.2, load15: 0.2 },
    cpus: 2,
    mounts: [],
    etcd: null,
    dmesg: [],
    logs: {},
    config: null,
    failures: [],
    ...over,
  };
}
const cluster = (nodes: NodeEvidence[]): ClusterEvidence => ({
  nodes,
  members: null,
  identity: { notAfter: null, caNotAfter: null, roles: ['os:admin'] },
  collectedAt: NOW,
});

function crashing(crashes: number, everyMs = 15_000): TalosService {
  const events = [{ state: 'Running', msg: 'Started task kubelet', ts: iso(crashes * everyMs + 5000) }];
  for (let i = crashes; i > 0; i--) {
    events.push({
      state: 'Waiting',
      msg: 'Error running Containerd(kubelet), going to restart forever: task "kubelet" failed: exit code 1',
      ts: iso(i * everyMs),
    });
    events.push({ state: 'Running', msg: 'Started task kubelet', ts: iso(i * everyMs - 5000) });
  }
  return {
    id: 'kubelet',
    state: 'Waiting',
    health: 'unknown',
    healthMessage: '',
    lastChange: events.at(-1)!.ts,
    lastEvent: events.at(-1)!.msg,
    events,
  };
}

describe('health rules', () => {
  it('counts restarts from service events: a return to Running after another state, not the first start nor health updates', () => {
    const s = crashing(4);
    s.events.push({ state: 'Running', msg: 'Health check successful', ts: iso(1000) });
    expect(restartsWithin(s, NOW - 3_600_000)).toBe(4);
    expect(restartsWithin(s, NOW - 31_000)).toBe(2);
  });

  it('a crash loop needs three crashes in 15 minutes', () => {
    expect(findings(cluster([node({ services: [crashing(2)] })]), T, NOW).filter((f) => f.rule === 'crashloop')).toEqual([]);
    const [f] = findings(cluster([node({ services: [crashing(3)] })]), T, NOW).filter((f) => f.rule === 'crashloop');
    expect(f).toMatchObject({
      severity: 'critical',
      since: NOW - 45_000,
      detail: expect.stringMatching(/^3 restarts in 1 min; last exit: task "kubelet" failed: exit code 1/),
    });
    // Crashes an hour ago are history, not a current loop.
    expect(findings(cluster([node({ services: [crashing(3, 20 * 60_000)] })]), T, NOW).filter((f) => f.rule === 'crashloop')).toEqual([]);
  });

  it('an error rate jumps only when the recent errors are many, a large share and a multiple of before', () => {
    const line = (msAgo: number, error: boolean) => JSON.stringify({ ts: NOW - msAgo, msg: 'x', ...(error ? { err: 'boom' } : {}) });
    const steady = Array.from({ length: 400 }, (_, i) => line((400 - i) * 1000, i % 50 === 0));
    expect(errorJump(steady, NOW)!.recentShare).toBeLessThan(0.1);
    expect(findings(cluster([node({ logs: { kubelet: steady } })]), T, NOW)).toEqual([]);
    const jumped = steady.map((l, i) => (i > 320 && i % 2 === 0 ? line((400 - i) * 1000, true) : l));
    const [f] = findings(cluster([node({ logs: { kubelet: jumped } })]), T, NOW);
    expect(f).toMatchObject({ rule: 'log-errors', id: 'log-errors:10.5.0.3:kubelet' });
    expect(f!.evidence).toHaveLength(3);
    expect(f!.evidence.every((e) => e.text.includes('"err":"boom"') && e.at! > NOW - 100_000)).toBe(true);
  });

  it('a node that did not answer gets "unknown" for every check, and one finding', () => {
    const silent = node({ answered: false, failures: [{ call: 'Version', code: 'UNAVAILABLE', message: '10.5.0.3 is not reachable' }] });
    const checks = nodeChecks(silent, T, NOW);
    expect(checks.map((c) => c.verdict)).toEqual(checks.map(() => 'unknown'));
    expect(checks[0]!.summary).toBe('Version could not be read: 10.5.0.3 is not reachable');
    expect(findings(cluster([silent]), T, NOW).map((f) => f.rule)).toEqual(['node-unreachable']);
  });

  it('a part that failed is unknown while the rest still gives verdicts', () => {
    const partial = node({ timeStatus: null, failures: [{ call: 'TimeStatus', code: 'PERMISSION_DENIED', message: 'not authorized' }] });
    const checks = nodeChecks(partial, T, NOW);
    expect(checks.find((c) => c.id === 'time-synced')).toMatchObject({
      verdict: 'unknown',
      summary: 'TimeStatus could not be read: not authorized',
    });
    expect(checks.find((c) => c.id === 'machine-ready')!.verdict).toBe('pass');
  });

  it('the worst verdict ranks an unread check above a warning', () => {
    expect(worstVerdict(['pass', 'warn'])).toBe('warn');
    expect(worstVerdict(['pass', 'warn', 'unknown'])).toBe('unknown');
    expect(worstVerdict(['unknown', 'fail'])).toBe('fail');
    expect(worstVerdict([])).toBe('pass');
  });

  it('config drift is reported against the node most of the role agrees with', () => {
    const config = (extra: string) => `version: v1alpha1\nmachine:\n  type: worker\n  token: abc\n${extra}`;
    const nodes = [
      node({ node: 'a', hostname: 'a', config: config('') }),
      node({ node: 'b', hostname: 'b', config: config('  sysctls:\n    vm.max_map_count: "1"\n') }),
      node({ node: 'c', hostname: 'c', config: config('').replace('abc', 'different-token') }),
    ];
    const drift = findings(cluster(nodes), T, NOW).filter((f) => f.rule === 'config-drift');
    expect(drift.map((f) => [f.node, f.evidence.map((e) => e.text)])).toEqual([['b', ['machine.sysctls']]]);
  });
});
