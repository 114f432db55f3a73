import type { EvidenceRef, Finding } from '../../../shared/domain/health';
import { operationActionSchema, type OperationAction } from '../../../shared/domain/operation';
import { parseKernelRecord } from '../../../shared/kernel-record';
import { parseLogLine, SEVERITY } from '../../../shared/log-line';
import { talosctl, type CommandTarget } from '../../../shared/talosctl';
import { ETCD_QUOTA_BYTES, THRESHOLDS, watchedMounts } from './checks';
import { configDrift } from './config-drift';
import type { ClusterEvidence, NodeEvidence } from './evidence';
import { crashEvents } from '../../../shared/service-history';

/**
 * The diagnostics: pure functions from evidence to findings. Each finding says what is wrong, since when, shows
 * the evidence (log lines, events, values with their times and where they came from) and the fix, in words and
 * as talosctl lines; where Nodeglass can do the fix as an operation, the plan to propose.
 */

export const CRASHLOOP = { minCrashes: 3, windowMs: 15 * 60_000 };
/** A log's error rate "jumped": the last quarter of what was read has at least this many errors, this share and this multiple of before. */
export const ERROR_JUMP = { minErrors: 10, minShare: 0.1, factor: 3 };
const KERNEL_ERRORS = [
  { kind: 'OOM kill', re: /Out of memory: Killed process (\d+) \(([^)]+)\)|oom-kill:.*task=([^,]+)|invoked oom-killer/ },
  {
    kind: 'I/O error',
    re: /I\/O error|blk_update_request|Buffer I\/O error|EXT4-fs error|XFS \(.*\): .*(error|corruption)|nvme.*timeout/i,
  },
];

const name = (e: NodeEvidence) => e.hostname ?? e.node;
const target = (t: CommandTarget, nodes: string[]) => ({ ...t, nodes });
const finite = (n: number) => (Number.isFinite(n) ? n : null);

/** An operation action if this build's operations engine knows the step kind (h20 adds etcd maintenance steps). */
function plannable(action: Record<string, unknown>): OperationAction | null {
  const parsed = operationActionSchema.safeParse(action);
  return parsed.success ? parsed.data : null;
}

function logEvidence(e: NodeEvidence, service: string, match: RegExp, limit = 3): EvidenceRef[] {
  const lines = e.logs[service] ?? [];
  const out: EvidenceRef[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
    if (!match.test(lines[i]!)) continue;
    const parsed = parseLogLine(lines[i]!, Date.now());
    out.unshift({
      node: e.node,
      label: `${service} log`,
      text: parsed.text,
      at: finite(parsed.ts),
      source: { kind: 'service', id: service },
    });
  }
  return out;
}

function crashLoops(e: NodeEvidence, t: CommandTarget, now: number): Finding[] {
  const out: Finding[] = [];
  for (const s of e.services ?? []) {
    const crashes = crashEvents(s).filter((c) => c.at >= now - CRASHLOOP.windowMs);
    if (crashes.length < CRASHLOOP.minCrashes) continue;
    const all = crashEvents(s);
    // Since: the first crash of the current unbroken run (ServiceList keeps 64 events, so this is a lower bound).
    const since = all[0]?.at ?? crashes[0]!.at;
    const last = crashes[crashes.length - 1]!;
    const reason = /going to restart forever: (.*)$/.exec(last.msg)?.[1] ?? last.msg;
    const minutes = Math.max(1, Math.round((now - crashes[0]!.at) / 60_000));
    const errorLines = logEvidence(e, s.id, /./, 200)
      .filter((r) => parseLogLine(r.text, now).severity >= SEVERITY.error)
      .slice(-2);
    out.push({
      id: `crashloop:${e.node}:${s.id}`,
      rule: 'crashloop',
      severity: 'critical',
      node: e.node,
      title: `${s.id} is crash-looping on ${name(e)}`,
      since: finite(since),
      detail: `${crashes.length} restarts in ${minutes} min; last exit: ${reason}. Talos restarts it forever, so it will not settle by itself.`,
      evidence: [
        ...crashes.slice(-3).map<EvidenceRef>((c) => ({
          node: e.node,
          label: `${s.id} service event`,
          text: `Waiting: ${c.msg}`,
          at: finite(c.at),
          source: { kind: 'service', id: s.id },
        })),
        ...errorLines,
      ],
      fix: {
        text: `Read ${s.id}'s log at the last crash (below) for the cause, fix it (often the machine config), and Talos' next restart picks it up.`,
        talosctl: [
          talosctl.logs(target(t, [e.node]), s.id, { tail: 100 }),
          talosctl.service(target(t, [e.node]), s.id),
          `${talosctl.get(target(t, [e.node]), 'machineconfig', 'v1alpha1', { yaml: true })}   # then talosctl edit mc / apply-config`,
        ],
        plan: null,
      },
    });
  }
  return out;
}

function etcdAlarms(c: ClusterEvidence, t: CommandTarget): Finding[] {
  const cps = c.nodes.filter((n) => n.role === 'controlplane' && n.etcd?.alarms);
  const alarms = new Map<string, { alarm: string; memberId: string; seenOn: NodeEvidence }>();
  for (const n of cps) for (const a of n.etcd!.alarms!) alarms.set(`${a.alarm}/${a.memberId}`, { ...a, seenOn: n });
  if (!alarms.size) return [];
  const byAlarm = new Map<string, { memberId: string; seenOn: NodeEvidence }[]>();
  for (const a of alarms.values()) byAlarm.set(a.alarm, [...(byAlarm.get(a.alarm) ?? []), a]);
  const members = c.nodes.filter((n) => n.role === 'controlplane').map((n) => n.node);
  return [...byAlarm].map(([alarm, list]) => {
    const raisedBy = c.nodes.find((n) => n.etcd?.status?.memberId === list[0]!.memberId) ?? list[0]!.seenOn;
    const statusLines = cps
      .filter((n) => n.etcd?.status)
      .map<EvidenceRef>((n) => ({
        node: n.node,
        label: 'EtcdStatus',
        text: `${name(n)}: DB ${(n.etcd!.status!.dbSize / 1024 ** 3).toFixed(2)} GiB of ${ETCD_QUOTA_BYTES / 1024 ** 3} GiB quota, ${(n.etcd!.status!.dbSizeInUse / 1024 ** 3).toFixed(2)} GiB in use${n.etcd!.status!.errors.length ? `; errors: ${n.etcd!.status!.errors.join(', ')}` : ''}`,
        at: c.collectedAt,
        source: { kind: 'call', id: 'EtcdStatus' },
      }));
    const logLines = logEvidence(raisedBy, 'etcd', /alarm raised|database space exceeded/, 2);
    const since = logLines.find((l) => /alarm raised/.test(l.text))?.at ?? null;
    const nospace = alarm === 'NOSPACE';
    const defrag = plannable({ kind: 'etcd-defrag' });
    const disarm = plannable({ kind: 'etcd-alarm-disarm' });
    return {
      id: `etcd-alarm:${alarm}`,
      rule: 'etcd-alarm' as const,
      severity: 'critical' as const,
      node: raisedBy.node,
      title: `etcd ${alarm} alarm${nospace ? ': the database is at its quota and writes are refused' : ''}`,
      since,
      detail: nospace
        ? `Member ${list.map((a) => a.memberId).join(', ')} raised NOSPACE. The Kubernetes API cannot write until the space is reclaimed and the alarm is disarmed.`
        : `Member ${list.map((a) => a.memberId).join(', ')} raised ${alarm}.`,
      evidence: [
        ...list.map<EvidenceRef>((a) => ({
          node: a.seenOn.node,
          label: 'EtcdAlarmList',
          text: `member ${a.memberId}: ${alarm}`,
          at: c.collectedAt,
          source: { kind: 'call', id: 'EtcdAlarmList' },
        })),
        ...statusLines,
        ...logLines,
      ],
      fix: nospace
        ? {
            text: 'Defragment every member, one at a time (it gives the free space inside the DB back), then disarm the alarm. If the DB stays near the quota after defrag, find what writes so much (events, leases) before disarming.',
            talosctl: [...members.map((m) => talosctl.etcdDefrag(target(t, [m]))), talosctl.etcdAlarmDisarm(target(t, [members[0]!]))],
            plan: defrag
              ? { label: 'Plan etcd defrag (then disarm)', nodes: members, action: defrag }
              : disarm
                ? { label: 'Plan alarm disarm', nodes: members.slice(0, 1), action: disarm }
                : null,
          }
        : {
            text: `Find why etcd raised ${alarm} in its log, fix that, then disarm the alarm.`,
            talosctl: [
              talosctl.logs(target(t, [raisedBy.node]), 'etcd', { tail: 200 }),
              talosctl.etcdAlarmDisarm(target(t, [members[0]!])),
            ],
            plan: null,
          },
    };
  });
}

function timeUnsynced(e: NodeEvidence, t: CommandTarget): Finding[] {
  const s = e.timeStatus;
  if (!s || s.synced || s.syncDisabled) return [];
  const logs = logEvidence(e, 'controller-runtime', /time query error|time\.SyncController|failed to sync time/i, 3);
  const unmet = e.machineStatus?.unmetConditions.find((c) => c.name === 'time');
  return [
    {
      id: `time-unsynced:${e.node}`,
      rule: 'time-unsynced',
      severity: 'warning',
      node: e.node,
      title: `Time is not synced on ${name(e)}`,
      since: logs[0]?.at ?? null,
      detail: `TimeStatus says synced=false${unmet ? ` and MachineStatus waits for it (${unmet.reason})` : ''}. etcd, certificates and the kubelet all need a correct clock.`,
      evidence: [
        {
          node: e.node,
          label: 'TimeStatus',
          text: `synced ${s.synced}, epoch ${s.epoch}, syncDisabled ${s.syncDisabled}`,
          at: null,
          source: { kind: 'resource', id: 'TimeStatuses.v1alpha1.talos.dev' },
        },
        ...logs,
      ],
      fix: {
        text: 'Make the time servers reachable from the node (UDP 123) or set reachable ones in machine.time.servers; check the node against a server.',
        talosctl: [
          talosctl.timeCheck(target(t, [e.node]), 'time.cloudflare.com'),
          talosctl.logs(target(t, [e.node]), 'controller-runtime', { tail: 100 }),
          talosctl.timeStatus(target(t, [e.node])),
        ],
        plan: null,
      },
    },
  ];
}

function notReady(e: NodeEvidence, t: CommandTarget): Finding[] {
  const s = e.machineStatus;
  const kube = e.nodeStatuses?.find((n) => !n.nodeReady);
  if ((!s || s.ready || s.stage !== 'running') && !kube) return [];
  const conditions = s?.unmetConditions ?? [];
  const nodeReady = kube || conditions.some((c) => c.name === 'nodeReady');
  const logs = nodeReady
    ? logEvidence(e, 'kubelet', /PLEG is not healthy|Node became not ready|Unable to register node|NetworkPluginNotReady/, 3)
    : [];
  const restart = plannable({ kind: 'service', service: 'kubelet', action: 'restart' });
  return [
    {
      id: `not-ready:${e.node}`,
      rule: 'not-ready',
      severity: 'critical',
      node: e.node,
      title: `${name(e)} is not ready${conditions.length ? `: ${conditions.map((c) => c.name).join(', ')}` : ''}`,
      since: logs[0]?.at ?? null,
      detail: conditions.length
        ? `MachineStatus unmet: ${conditions.map((c) => `${c.name} (${c.reason})`).join('; ')}.`
        : `The Kubernetes node ${kube?.nodename} is NotReady.`,
      evidence: [
        ...(s
          ? [
              {
                node: e.node,
                label: 'MachineStatus',
                text: `stage ${s.stage}, ready ${s.ready}${conditions.map((c) => `; unmet ${c.name}: ${c.reason}`).join('')}`,
                at: null,
                source: { kind: 'resource' as const, id: 'MachineStatuses.runtime.talos.dev' },
              },
            ]
          : []),
        ...(kube
          ? [
              {
                node: e.node,
                label: 'NodeStatus',
                text: `${kube.nodename}: nodeReady false`,
                at: null,
                source: { kind: 'resource' as const, id: 'NodeStatuses.kubernetes.talos.dev' },
              },
            ]
          : []),
        ...logs,
      ],
      fix: nodeReady
        ? {
            text: 'The kubelet reports the node NotReady: read its log for the reason (PLEG, CNI, container runtime). If the runtime is stuck, restarting the kubelet is the first step.',
            talosctl: [
              talosctl.logs(target(t, [e.node]), 'kubelet', { tail: 200 }),
              talosctl.serviceAction(target(t, [e.node]), 'kubelet', 'restart'),
            ],
            plan: restart ? { label: 'Plan kubelet restart', nodes: [e.node], action: restart } : null,
          }
        : {
            text: `Look at the unmet condition's component: ${conditions.map((c) => c.reason).join('; ')}.`,
            talosctl: [talosctl.machineStatus(target(t, [e.node])), talosctl.services(target(t, [e.node]))],
            plan: null,
          },
    },
  ];
}

function diskPressure(e: NodeEvidence, t: CommandTarget, now: number): Finding[] {
  return watchedMounts(e)
    .map((m) => ({ m, share: 1 - m.availableBytes / m.sizeBytes }))
    .filter(({ share }) => share >= THRESHOLDS.mountFail)
    .map(({ m, share }) => {
      const logs = logEvidence(e, 'kubelet', /Eviction manager|garbage collect|DiskPressure|no space left/i, 3);
      return {
        id: `disk-pressure:${e.node}:${m.mountedOn}`,
        rule: 'disk-pressure' as const,
        severity: 'critical' as const,
        node: e.node,
        title: `${m.mountedOn} is ${(share * 100).toFixed(1)} % full on ${name(e)}`,
        since: logs[0]?.at ?? null,
        detail: `${(m.availableBytes / 1024 ** 3).toFixed(2)} GiB free of ${(m.sizeBytes / 1024 ** 3).toFixed(1)} GiB on ${m.filesystem}. The kubelet evicts pods under disk pressure.`,
        evidence: [
          {
            node: e.node,
            label: 'Mounts',
            text: `${m.filesystem} on ${m.mountedOn}: ${(share * 100).toFixed(1)} % used`,
            at: now,
            source: { kind: 'call' as const, id: 'Mounts' },
          },
          ...logs,
        ],
        fix: {
          text: `Find what fills ${m.mountedOn} (container images, pod logs, emptyDirs) and remove it; if the volume is simply too small, grow it (VolumeConfig for EPHEMERAL).`,
          talosctl: [
            `${talosctl.mounts(target(t, [e.node]))}`,
            `talosctl --context ${t.context} -n ${e.node} usage ${m.mountedOn} --depth 2`,
            talosctl.imageList(target(t, [e.node])),
          ],
          plan: null,
        },
      };
    });
}

function memoryPressure(e: NodeEvidence, t: CommandTarget, now: number): Finding[] {
  const m = e.memory;
  if (!m?.totalMb) return [];
  const share = (m.totalMb - m.availableMb) / m.totalMb;
  if (share < THRESHOLDS.memoryFail) return [];
  return [
    {
      id: `memory-pressure:${e.node}`,
      rule: 'memory-pressure',
      severity: 'warning',
      node: e.node,
      title: `Memory is ${(share * 100).toFixed(1)} % used on ${name(e)}`,
      since: null,
      detail: `${m.availableMb} MB available of ${m.totalMb} MB. The kernel's OOM killer or the kubelet's eviction will kill processes next.`,
      evidence: [
        {
          node: e.node,
          label: 'Memory',
          text: `${m.totalMb - m.availableMb} MB used of ${m.totalMb} MB, ${m.availableMb} MB available`,
          at: now,
          source: { kind: 'call', id: 'Memory' },
        },
      ],
      fix: {
        text: 'Find the biggest processes and the pods they belong to; set memory requests and limits, or move workloads off this node.',
        talosctl: [talosctl.memory(target(t, [e.node])), talosctl.processes(target(t, [e.node]), 'rss')],
        plan: null,
      },
    },
  ];
}

function kernelErrors(e: NodeEvidence, t: CommandTarget, now: number): Finding[] {
  const out: Finding[] = [];
  for (const { kind, re } of KERNEL_ERRORS) {
    const hits = (e.dmesg ?? [])
      .map(parseKernelRecord)
      .filter((r) => re.test(r.message) && ['warning', 'warn', 'err', 'crit', 'alert', 'emerg'].includes(r.priority));
    if (!hits.length) continue;
    const at = (time: string | null) => (time ? finite(Date.parse(time.replace(/(\.\d{3})\d+/, '$1'))) : null);
    const kills = hits.filter((r) => /Killed process/.test(r.message));
    const victims = [...new Set(kills.map((r) => /\(([^)]+)\)/.exec(r.message)?.[1]).filter(Boolean))];
    const oom = kind === 'OOM kill';
    out.push({
      id: `kernel-errors:${e.node}:${oom ? 'oom' : 'io'}`,
      rule: 'kernel-errors',
      severity: oom ? 'warning' : 'critical',
      node: e.node,
      title: oom
        ? `The kernel OOM killer ran on ${name(e)}${kills.length ? ` (${kills.length} kill${kills.length === 1 ? '' : 's'}: ${victims.join(', ')})` : ''}`
        : `Kernel I/O errors on ${name(e)}`,
      since: at(hits[0]!.time),
      detail: oom
        ? `The node ran out of memory and the kernel killed ${victims.join(', ') || 'a process'}. It will happen again while the workload's memory grows unbounded.`
        : `${hits.length} I/O error record(s) in the kernel log: a disk or its controller is failing.`,
      evidence: hits.slice(-4).map((r) => ({
        node: e.node,
        label: 'dmesg',
        text: `${r.priority}: ${r.message}`,
        at: at(r.time),
        source: { kind: 'kernel' as const, id: 'kernel' },
      })),
      fix: oom
        ? {
            text: `Give ${victims.join(', ') || 'the killed process'}'s pod a memory limit it fits in (or more memory to the node); check what uses memory now.`,
            talosctl: [
              talosctl.dmesg(target(t, [e.node]), false),
              talosctl.memory(target(t, [e.node])),
              talosctl.processes(target(t, [e.node]), 'rss'),
            ],
            plan: null,
          }
        : {
            text: 'Check the disk (SMART, the hypervisor or cloud volume); move workloads off and replace the disk if errors continue.',
            talosctl: [talosctl.dmesg(target(t, [e.node]), false), talosctl.get(target(t, [e.node]), 'disks')],
            plan: null,
          },
    });
    void now;
  }
  return out;
}

/** Errors per service log: the last quarter of the time read against what came before, from each line's parsed severity. */
export function errorJump(
  lines: string[],
  now: number,
): { recent: number; recentShare: number; before: number; beforeShare: number; from: number } | null {
  const parsed = lines.map((l) => parseLogLine(l, now)).filter((p) => Number.isFinite(p.ts));
  if (parsed.length < 20) return null;
  const start = parsed[0]!.ts;
  const end = parsed[parsed.length - 1]!.ts;
  const cut = end - (end - start) / 4;
  const recent = parsed.filter((p) => p.ts >= cut);
  const before = parsed.filter((p) => p.ts < cut);
  const errors = (list: typeof parsed) => list.filter((p) => p.severity >= SEVERITY.error).length;
  const r = errors(recent);
  const b = errors(before);
  const recentShare = recent.length ? r / recent.length : 0;
  const beforeShare = before.length ? b / before.length : 0;
  return { recent: r, recentShare, before: b, beforeShare, from: cut };
}

function logErrors(e: NodeEvidence, t: CommandTarget, now: number, skip: Set<string>): Finding[] {
  const out: Finding[] = [];
  for (const [service, lines] of Object.entries(e.logs)) {
    if (skip.has(service)) continue;
    const jump = errorJump(lines, now);
    if (!jump) continue;
    const { recent, recentShare, beforeShare } = jump;
    if (recent < ERROR_JUMP.minErrors || recentShare < ERROR_JUMP.minShare || recentShare < ERROR_JUMP.factor * beforeShare) continue;
    const samples = lines
      .map((l) => parseLogLine(l, now))
      .filter((p) => p.ts >= jump.from && p.severity >= SEVERITY.error)
      .slice(-3)
      .map<EvidenceRef>((p) => ({
        node: e.node,
        label: `${service} log`,
        text: p.text,
        at: finite(p.ts),
        source: { kind: 'service', id: service },
      }));
    out.push({
      id: `log-errors:${e.node}:${service}`,
      rule: 'log-errors',
      severity: 'warning',
      node: e.node,
      title: `${service} on ${name(e)} logs errors at ${(recentShare * 100).toFixed(0)} % of lines (was ${(beforeShare * 100).toFixed(0)} %)`,
      since: finite(jump.from),
      detail: `${recent} error lines in the latest part of its log, against ${(beforeShare * 100).toFixed(1)} % before.`,
      evidence: samples,
      fix: {
        text: `Read ${service}'s log from when the errors started.`,
        talosctl: [talosctl.logs(target(t, [e.node]), service, { tail: 200 })],
        plan: null,
      },
    });
  }
  return out;
}

function unreachable(e: NodeEvidence, t: CommandTarget, now: number): Finding[] {
  if (e.answered) return [];
  const f = e.failures[0];
  return [
    {
      id: `node-unreachable:${e.node}`,
      rule: 'node-unreachable',
      severity: 'critical',
      node: e.node,
      title: `${e.node} does not answer`,
      since: null,
      detail: `${f?.message ?? 'No answer.'} Every check on this node is unknown until it answers.`,
      evidence: f ? [{ node: e.node, label: f.call, text: `${f.code}: ${f.message}`, at: now, source: { kind: 'call', id: f.call } }] : [],
      fix: {
        text: 'Check that the node is powered on and reachable on port 50000 from the endpoint; if it is rebooting, wait for it.',
        talosctl: [talosctl.version(target(t, [e.node]))],
        plan: null,
      },
    },
  ];
}

function staticPods(e: NodeEvidence, t: CommandTarget): Finding[] {
  if (e.role !== 'controlplane' || !e.staticPods) return [];
  return e.staticPods
    .filter((p) => !p.ready && ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].includes(p.component))
    .map((p) => ({
      id: `static-pod:${e.node}:${p.component}`,
      rule: 'static-pod' as const,
      severity: 'critical' as const,
      node: e.node,
      title: `${p.component} is not ready on ${name(e)}`,
      since: null,
      detail: `StaticPodStatus ${p.id}: ${p.phase}, ${p.restartCount} restarts.`,
      evidence: [
        {
          node: e.node,
          label: 'StaticPodStatus',
          text: `${p.id}: ${p.phase}, ${p.conditions.map((c) => `${c.type}=${c.status}`).join(', ')}`,
          at: null,
          source: { kind: 'resource' as const, id: 'StaticPodStatuses.kubernetes.talos.dev' },
        },
      ],
      fix: {
        text: `Read ${p.component}'s container log for why it does not become ready.`,
        talosctl: [
          talosctl.logs(target(t, [e.node]), `kube-system/${p.id.split('/')[1]}`, { k8s: true, tail: 100 }),
          talosctl.staticPodStatuses(target(t, [e.node])),
        ],
        plan: null,
      },
    }));
}

function drift(c: ClusterEvidence, t: CommandTarget): Finding[] {
  return configDrift(c.nodes).map((d) => ({
    id: `config-drift:${d.node}`,
    rule: 'config-drift' as const,
    severity: 'warning' as const,
    node: d.node,
    title: `${d.hostname}'s machine config differs from the other ${d.role === 'controlplane' ? 'control planes' : 'workers'}`,
    since: null,
    detail: `${d.paths.length} setting(s) differ from ${d.against.join(', ')} (secrets and per-node fields excluded): ${d.paths.slice(0, 6).join(', ')}${d.paths.length > 6 ? ', …' : ''}.`,
    evidence: d.paths.slice(0, 8).map((p) => ({
      node: d.node,
      label: 'MachineConfig',
      text: p,
      at: null,
      source: { kind: 'resource' as const, id: 'MachineConfigs.config.talos.dev' },
    })),
    fix: {
      text: `Decide which is intended: bring ${d.hostname} back to its role's config, or roll the change out to every ${d.role} (Configs → Diff shows the two side by side).`,
      talosctl: [
        talosctl.get(target(t, [d.node]), 'machineconfig', 'v1alpha1', { yaml: true }),
        talosctl.get(target(t, [d.against[0]!]), 'machineconfig', 'v1alpha1', { yaml: true }),
      ],
      plan: null,
    },
  }));
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 };

/** Every rule over the cluster's evidence, most severe first. */
export function findings(c: ClusterEvidence, t: CommandTarget, now: number): Finding[] {
  const out: Finding[] = [];
  for (const e of c.nodes) {
    out.push(...unreachable(e, t, now));
    if (!e.answered) continue;
    const loops = crashLoops(e, t, now);
    out.push(...loops, ...timeUnsynced(e, t), ...notReady(e, t), ...diskPressure(e, t, now), ...memoryPressure(e, t, now));
    out.push(...kernelErrors(e, t, now), ...staticPods(e, t));
    out.push(...logErrors(e, t, now, new Set(loops.map((f) => f.id.split(':')[2]!))));
  }
  out.push(...etcdAlarms(c, t), ...drift(c, t));
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.since ?? Infinity) - (b.since ?? Infinity));
}
