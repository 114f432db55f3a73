import { X509Certificate } from 'node:crypto';
import type { HealthCheck, Verdict } from '../../../shared/domain/health';
import { talosctl, type CommandTarget } from '../../../shared/talosctl';
import type { ClusterEvidence, NodeEvidence } from './evidence';
import { restartsWithin, serviceDown } from '../../../shared/service-history';

/** etcd's default backend quota (2 GiB), which Talos does not change. */
export const ETCD_QUOTA_BYTES = 2 * 1024 ** 3;
export const THRESHOLDS = {
  memoryWarn: 0.85,
  memoryFail: 0.95,
  mountWarn: 0.85,
  mountFail: 0.95,
  /** Load average per CPU. */
  loadWarn: 2,
  etcdDbWarn: 0.8,
  restartsWarn: 3,
  certWarnDays: 14,
  caWarnDays: 60,
};
export const CONTROL_PLANE_PODS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

const HOUR = 3_600_000;
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

/** Mounts whose fullness matters (real filesystems, not the tmpfs and overlay views). */
export const watchedMounts = (e: NodeEvidence) =>
  (e.mounts ?? []).filter((m) => m.sizeBytes > 0 && m.filesystem !== 'tmpfs' && m.filesystem !== 'overlay');

type Check = Omit<HealthCheck, 'checkedAt' | 'talosctl'> & { talosctl: string };

/** The per-node checks, each on its own evidence: a part that could not be read gives "unknown" with the reason. */
export function nodeChecks(e: NodeEvidence, t: CommandTarget, now: number): Check[] {
  const target = { ...t, nodes: [e.node] };
  const failed = (call: string) => e.failures.find((f) => f.call === call);
  const unread = (call: string) => {
    const f = failed(call) ?? e.failures.find((x) => x.call === 'Version');
    return f ? `${call} could not be read: ${f.message}` : `${call} was not read`;
  };
  const check = (
    id: string,
    title: string,
    command: string,
    build: () => { verdict: Verdict; summary: string; evidence: string[] } | null,
    call: string,
  ): Check => {
    if (!e.answered) return { id, title, node: e.node, verdict: 'unknown', summary: unread('Version'), evidence: [], talosctl: command };
    const result = build();
    return result
      ? { id, title, node: e.node, talosctl: command, ...result }
      : { id, title, node: e.node, verdict: 'unknown', summary: unread(call), evidence: [], talosctl: command };
  };
  const checks: Check[] = [];

  checks.push(
    check(
      'machine-ready',
      'MachineStatus ready',
      talosctl.machineStatus(target),
      () => {
        const s = e.machineStatus;
        if (!s) return null;
        const unmet = s.unmetConditions.map((c) => `${c.name}: ${c.reason}`);
        const evidence = [`stage ${s.stage}, ready ${s.ready}`, ...unmet.map((u) => `unmet ${u}`)];
        if (s.stage === 'running' && s.ready) return { verdict: 'pass', summary: 'running and ready', evidence };
        if (s.stage !== 'running') return { verdict: 'warn', summary: `stage ${s.stage}`, evidence };
        return { verdict: 'fail', summary: `not ready: ${unmet.join('; ') || 'no reason given'}`, evidence };
      },
      'MachineStatus',
    ),
  );

  checks.push(
    check(
      'services',
      'Services healthy',
      talosctl.services(target),
      () => {
        if (!e.services) return null;
        const down = e.services.filter(serviceDown);
        const restarts = e.services.map((s) => ({ id: s.id, n: restartsWithin(s, now - HOUR) })).filter((r) => r.n > 0);
        const evidence = [
          ...down.map((s) => `${s.id}: ${s.state}, health ${s.health}, last: ${s.lastEvent}`),
          ...restarts.map((r) => `${r.id}: ${r.n} restart${r.n === 1 ? '' : 's'} in the last hour`),
        ];
        if (down.length) return { verdict: 'fail', summary: `${down.map((s) => s.id).join(', ')} not healthy`, evidence };
        const many = restarts.filter((r) => r.n >= THRESHOLDS.restartsWarn);
        if (many.length) return { verdict: 'warn', summary: `restarting: ${many.map((r) => `${r.id} ×${r.n}`).join(', ')}`, evidence };
        return { verdict: 'pass', summary: `${e.services.length} services running and healthy`, evidence };
      },
      'ServiceList',
    ),
  );

  checks.push(
    check(
      'time-synced',
      'Time synced',
      talosctl.timeStatus(target),
      () => {
        const s = e.timeStatus;
        if (!s) return null;
        const evidence = [`synced ${s.synced}, epoch ${s.epoch}, syncDisabled ${s.syncDisabled}`];
        if (s.synced) return { verdict: 'pass', summary: 'synced', evidence };
        if (s.syncDisabled) return { verdict: 'warn', summary: 'time sync is disabled in the machine config', evidence };
        return { verdict: 'fail', summary: 'not synced', evidence };
      },
      'TimeStatus',
    ),
  );

  checks.push(
    check(
      'kubernetes-node-ready',
      'Kubernetes node ready',
      talosctl.nodeStatuses(target),
      () => {
        const list = e.nodeStatuses;
        if (!list) return null;
        if (!list.length) return { verdict: 'warn', summary: 'no NodeStatus yet (the kubelet has not registered)', evidence: [] };
        const notReady = list.filter((n) => !n.nodeReady);
        const evidence = list.map((n) => `${n.nodename}: nodeReady ${n.nodeReady}${n.unschedulable ? ', unschedulable' : ''}`);
        if (notReady.length) return { verdict: 'fail', summary: `${notReady.map((n) => n.nodename).join(', ')} NotReady`, evidence };
        return { verdict: 'pass', summary: 'Ready', evidence };
      },
      'NodeStatuses',
    ),
  );

  if (e.role === 'controlplane') {
    checks.push(
      check(
        'static-pods',
        'Control plane static pods ready',
        talosctl.staticPodStatuses(target),
        () => {
          const pods = e.staticPods;
          if (!pods) return null;
          const evidence = pods.map((p) => `${p.id}: ${p.phase}, ready ${p.ready}, restarts ${p.restartCount}`);
          const missing = CONTROL_PLANE_PODS.filter((c) => !pods.some((p) => p.component === c));
          const notReady = pods.filter((p) => CONTROL_PLANE_PODS.includes(p.component) && !p.ready);
          if (missing.length || notReady.length)
            return {
              verdict: 'fail',
              summary: [
                missing.length && `missing ${missing.join(', ')}`,
                notReady.length && `not ready ${notReady.map((p) => p.component).join(', ')}`,
              ]
                .filter(Boolean)
                .join('; '),
              evidence,
            };
          return { verdict: 'pass', summary: 'kube-apiserver, controller-manager and scheduler ready', evidence };
        },
        'StaticPodStatuses',
      ),
    );
    checks.push(
      check(
        'etcd-member',
        'etcd member healthy',
        talosctl.etcdStatus(target),
        () => {
          const etcd = e.etcd;
          if (!etcd?.status || !etcd.alarms) return null;
          const s = etcd.status;
          const share = s.dbSize / ETCD_QUOTA_BYTES;
          const evidence = [
            `member ${s.memberId}, leader ${s.leader}, learner ${s.isLearner}`,
            `DB ${gib(s.dbSize)} of ${gib(ETCD_QUOTA_BYTES)} quota (${pct(share)}), ${gib(s.dbSizeInUse)} in use`,
            ...etcd.alarms.map((a) => `alarm ${a.alarm} on member ${a.memberId}`),
            ...s.errors.map((x) => `error: ${x}`),
          ];
          if (etcd.alarms.length)
            return { verdict: 'fail', summary: `alarm ${[...new Set(etcd.alarms.map((a) => a.alarm))].join(', ')}`, evidence };
          if (s.errors.length) return { verdict: 'fail', summary: s.errors.join('; '), evidence };
          if (s.isLearner) return { verdict: 'warn', summary: 'this member is still a learner', evidence };
          if (share >= THRESHOLDS.etcdDbWarn) return { verdict: 'warn', summary: `DB at ${pct(share)} of its quota`, evidence };
          return { verdict: 'pass', summary: `no alarms, DB at ${pct(share)} of quota`, evidence };
        },
        'EtcdStatus',
      ),
    );
  }

  checks.push(
    check(
      'memory',
      'Memory',
      talosctl.memory(target),
      () => {
        const m = e.memory;
        if (!m || !m.totalMb) return null;
        const share = (m.totalMb - m.availableMb) / m.totalMb;
        const evidence = [`${m.totalMb - m.availableMb} MB used of ${m.totalMb} MB (${pct(share)}), ${m.availableMb} MB available`];
        if (e.load)
          evidence.push(
            `load ${e.load.load1.toFixed(2)} ${e.load.load5.toFixed(2)} ${e.load.load15.toFixed(2)}${e.cpus ? ` on ${e.cpus} CPUs` : ''}`,
          );
        if (share >= THRESHOLDS.memoryFail) return { verdict: 'fail', summary: `${pct(share)} used`, evidence };
        if (share >= THRESHOLDS.memoryWarn) return { verdict: 'warn', summary: `${pct(share)} used`, evidence };
        if (e.load && e.cpus && e.load.load5 / e.cpus >= THRESHOLDS.loadWarn)
          return { verdict: 'warn', summary: `load ${e.load.load5.toFixed(2)} on ${e.cpus} CPUs`, evidence };
        return { verdict: 'pass', summary: `${pct(share)} used`, evidence };
      },
      'Memory',
    ),
  );

  checks.push(
    check(
      'mounts',
      'Disk space',
      talosctl.mounts(target),
      () => {
        if (!e.mounts) return null;
        const rows = watchedMounts(e).map((m) => ({ m, share: 1 - m.availableBytes / m.sizeBytes }));
        const evidence = rows.map(({ m, share }) => `${m.mountedOn} (${m.filesystem}): ${pct(share)} used`);
        const worst = rows.sort((a, b) => b.share - a.share)[0];
        if (!worst) return { verdict: 'pass', summary: 'no filesystems to watch', evidence };
        const summary = `${worst.m.mountedOn} ${pct(worst.share)} used`;
        if (worst.share >= THRESHOLDS.mountFail) return { verdict: 'fail', summary, evidence };
        if (worst.share >= THRESHOLDS.mountWarn) return { verdict: 'warn', summary, evidence };
        return { verdict: 'pass', summary: `fullest: ${summary}`, evidence };
      },
      'Mounts',
    ),
  );

  checks.push(
    check(
      'diagnostics',
      'Talos diagnostics',
      talosctl.diagnostics(target),
      () => {
        if (!e.diagnostics) return null;
        const evidence = e.diagnostics.map((d) => `${d.id}: ${d.message}`);
        return e.diagnostics.length
          ? { verdict: 'warn', summary: evidence.join('; '), evidence }
          : { verdict: 'pass', summary: 'none', evidence };
      },
      'Diagnostics',
    ),
  );
  return checks;
}

function daysLeft(notAfter: string, now: number): number {
  return (Date.parse(notAfter) - now) / 86_400_000;
}

export function caNotAfter(caPem: string): string | null {
  try {
    return new Date(new X509Certificate(caPem).validTo).toISOString();
  } catch {
    return null;
  }
}

/** Checks across nodes: everyone answers, versions agree per role, etcd agrees with itself, certificates last. */
export function clusterChecks(c: ClusterEvidence, t: CommandTarget, now: number): Check[] {
  const all = { ...t, nodes: c.nodes.map((n) => n.node) };
  const checks: Check[] = [];
  const silent = c.nodes.filter((n) => !n.answered);
  checks.push({
    id: 'nodes-answer',
    title: 'All nodes answer',
    node: null,
    verdict: silent.length ? 'fail' : 'pass',
    summary: silent.length ? `${silent.map((n) => n.node).join(', ')} not answering` : `${c.nodes.length} of ${c.nodes.length} answer`,
    evidence: c.nodes.map((n) => `${n.node}: ${n.answered ? `Talos ${n.version?.tag ?? '?'}` : (n.failures[0]?.message ?? 'no answer')}`),
    talosctl: talosctl.version(all),
  });

  for (const role of ['controlplane', 'worker'] as const) {
    const nodes = c.nodes.filter((n) => n.role === role);
    if (!nodes.length) continue;
    const tags = new Map<string, string[]>();
    for (const n of nodes) if (n.version) tags.set(n.version.tag, [...(tags.get(n.version.tag) ?? []), n.hostname ?? n.node]);
    const unread = nodes.filter((n) => !n.version);
    checks.push({
      id: `versions-${role}`,
      title: `Talos versions agree (${role === 'controlplane' ? 'control planes' : 'workers'})`,
      node: null,
      verdict: tags.size > 1 ? 'warn' : unread.length ? 'unknown' : 'pass',
      summary:
        tags.size > 1
          ? `${tags.size} versions: ${[...tags.keys()].join(', ')}`
          : unread.length
            ? `${unread.map((n) => n.node).join(', ')} did not say`
            : `all ${[...tags.keys()][0]}`,
      evidence: [...tags].map(([tag, names]) => `${tag}: ${names.join(', ')}`),
      talosctl: talosctl.version({ ...t, nodes: nodes.map((n) => n.node) }),
    });
  }

  const cps = c.nodes.filter((n) => n.role === 'controlplane');
  if (cps.length) {
    const read = cps.filter((n) => n.etcd?.members && n.etcd.status);
    const sets = read.map((n) => ({
      n,
      ids: n
        .etcd!.members!.map((m) => m.id)
        .sort()
        .join(','),
    }));
    const leaders = new Set(read.map((n) => n.etcd!.status!.leader).filter((l) => l && l !== '0' && l !== '0000000000000000'));
    const learners = read.flatMap((n) => n.etcd!.members!.filter((m) => m.isLearner).map((m) => m.hostname || m.id));
    const agree = new Set(sets.map((s) => s.ids)).size <= 1;
    const verdict: Verdict =
      !agree || leaders.size > 1 || (read.length && leaders.size === 0)
        ? 'fail'
        : read.length < cps.length
          ? 'unknown'
          : learners.length
            ? 'warn'
            : 'pass';
    checks.push({
      id: 'etcd-cluster',
      title: 'etcd members consistent, one leader',
      node: null,
      verdict,
      summary: !agree
        ? 'control planes list different members'
        : leaders.size > 1
          ? `${leaders.size} leaders`
          : read.length && !leaders.size
            ? 'no leader'
            : read.length < cps.length
              ? `${cps
                  .filter((n) => !read.includes(n))
                  .map((n) => n.node)
                  .join(', ')} did not answer for etcd`
              : learners.length
                ? `learner(s): ${[...new Set(learners)].join(', ')}`
                : `${read[0]?.etcd?.members?.length ?? 0} members, leader ${[...leaders][0]}`,
      evidence: sets.map((s) => `${s.n.hostname ?? s.n.node}: members ${s.ids}; leader ${s.n.etcd!.status!.leader}`),
      talosctl: talosctl.etcdMembers({ ...t, nodes: cps.map((n) => n.node) }),
    });
  }

  const cert = c.identity.notAfter;
  if (cert) {
    const left = daysLeft(cert, now);
    checks.push({
      id: 'identity-expiry',
      title: 'Your client certificate',
      node: null,
      verdict: left <= 0 ? 'fail' : left < THRESHOLDS.certWarnDays ? 'warn' : 'pass',
      summary: left <= 0 ? `expired ${cert}` : `expires ${cert.slice(0, 10)} (${Math.floor(left)} days)`,
      evidence: [`notAfter ${cert}`, `roles ${c.identity.roles.join(', ') || 'none'}`],
      talosctl: 'talosctl config info',
    });
  }
  const ca = c.identity.caNotAfter;
  checks.push({
    id: 'ca-expiry',
    title: 'Cluster CA certificate',
    node: null,
    verdict: !ca ? 'unknown' : daysLeft(ca, now) <= 0 ? 'fail' : daysLeft(ca, now) < THRESHOLDS.caWarnDays ? 'warn' : 'pass',
    summary: ca ? `expires ${ca.slice(0, 10)} (${Math.floor(daysLeft(ca, now))} days)` : 'the CA in this identity could not be parsed',
    evidence: ca ? [`notAfter ${ca}`] : [],
    talosctl: 'talosctl config info',
  });
  return checks;
}
