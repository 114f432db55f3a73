import { readFileSync } from 'node:fs';
import { Rng } from '../rng';

/** Synthetic log lines in each Talos service's real format (see shared/talos/talos-testdata.md section 5). */
export type LineMaker = (ts: number, rng: Rng) => string;

/** A real kubelet start-up (JSON log format), including the errors of a kubelet waiting for its API server. */
const kubeletBootTemplates: Record<string, unknown>[] = readFileSync(new URL('../data/kubelet-sample.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * What a healthy, registered kubelet keeps logging: the start-up lines without errors, retries, registration or the
 * one-off dumps of its configuration.
 */
const kubeletSteadyTemplates = kubeletBootTemplates.filter(
  (t) =>
    JSON.stringify(t).length <= 400 &&
    !('err' in t) &&
    !/unable|fail|error|not found|orphan|delet|remov|mirror|evict|authoriz|webhook|no need|regist|not ready/i.test(String(t.msg)),
);

/** Errors a healthy kubelet still logs now and then (stats of pods already gone); about 2 % of its lines. */
const kubeletBenignErrors: Record<string, unknown>[] = [
  {
    caller: 'stats/cri_stats_provider.go:1030',
    msg: 'Unable to fetch pod log stats',
    err: 'open /var/log/pods/kube-system_kube-proxy-7d9kq_0c1f2a9e-5b7d-4c1e-9f0a-3e2b1d4c5a6f: no such file or directory',
    pod: 'kube-system/kube-proxy-7d9kq',
  },
  {
    caller: 'kuberuntime/kuberuntime_container.go:1134',
    msg: 'ContainerStatus from runtime service failed',
    err: 'rpc error: code = NotFound desc = an error occurred when try to find container "4b1e0c": not found',
    containerID: '4b1e0c',
  },
];

/**
 * A template's fields after "ts", stringified once: kubelet writes "ts" first, and building each line from a
 * ready string keeps the lab's cost of writing logs (which on a node is the kubelet's) small next to serving them.
 */
function afterTs(template: Record<string, unknown>): string {
  const { ts: _ts, ...rest } = template;
  const json = JSON.stringify(rest);
  return json === '{}' ? '}' : `,${json.slice(1)}`;
}
const kubeletLine = (rest: string, ts: number) => `{"ts":${JSON.stringify(ts)}${rest}`;
const bootRests = kubeletBootTemplates.map(afterTs);
const steadyRests = kubeletSteadyTemplates.map(afterTs);
const benignErrorRests = kubeletBenignErrors.map(afterTs);

/** The kubelet's start-up log, one line per millisecond from `ts`. */
export function kubeletBootLines(ts: number): string[] {
  return bootRests.map((rest, i) => kubeletLine(rest, ts + i + 0.5));
}

const iso = (ts: number) => new Date(ts).toISOString();
/** RFC3339 with nanoseconds, as Go prints times. */
export const isoNano = (ts: number, rng: Rng) =>
  iso(ts).replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${String(rng.int(0, 999999)).padStart(6, '0')}Z`);
const goLogTime = (ts: number, rng: Rng) => {
  const d = new Date(ts);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}${p(rng.int(0, 999), 3)}`;
};

const METHODS = ['Version', 'ServiceList', 'Memory', 'LoadAvg', 'SystemStat', 'Processes', 'Hostname', 'Mounts'];

export function apidRequestLine(ts: number, rng: Rng, method: string, code: string, roles: string[]): string {
  return `${goLogTime(ts, rng)} log.go:118: ${code === 'Success' ? 'OK' : 'ERROR'} [${method}] ${(rng.next() * 3).toFixed(3)}ms stream ${code} {parsed peer's certificate orgs [${roles.join(' ')}] as [${roles.join(' ')}] (unknownRoles = [])} (:authority=127.0.0.1:50000;content-type=application/grpc;user-agent=grpc-node-js/1.14.7)`;
}

const zapLevel: Record<string, string> = {
  INFO: '\x1b[34mINFO\x1b[0m',
  WARN: '\x1b[33mWARN\x1b[0m',
  ERROR: '\x1b[31mERROR\x1b[0m',
  DEBUG: '\x1b[35mDEBUG\x1b[0m',
};
const controllers = [
  'network.LinkStatusController',
  'network.AddressStatusController',
  'k8s.NodenameController',
  'runtime.MachineStatusController',
  'cluster.MemberController',
];

export function makeLineMakers(hostname: string): Record<string, LineMaker> {
  let kubeletIndex = 0;
  return {
    machined: (_ts, rng) =>
      rng.pick([
        () => `[talos] service[${rng.pick(['apid', 'kubelet', 'etcd', 'cri'])}](Running): Health check successful`,
        () =>
          `[talos] task ${rng.pick(['startAllServices', 'updateBootloader', 'cleanupLegacy'])} (1/1): done, ${(rng.next() * 900).toFixed(3)}µs`,
        () =>
          `[talos] machined OK [/machine.MachineService/${rng.pick(METHODS)}] ${(rng.next() * 200).toFixed(1)}µs unary Success (authority=127.0.0.1;talos-role=os:admin)`,
      ])(),
    kubelet: (ts) => {
      const index = kubeletIndex++;
      const rest =
        index % 50 === 49
          ? benignErrorRests[((index / 50) % 2) | 0]!
          : (steadyRests[index % steadyRests.length] ?? ',"msg":"Kubelet running"}');
      return kubeletLine(rest, ts + (kubeletIndex % 1000) / 1000);
    },
    etcd: (ts, rng) =>
      JSON.stringify({
        level: rng.next() < 0.05 ? 'warn' : 'info',
        ts: isoNano(ts, rng).replace(/\d{3}Z$/, 'Z'),
        caller: rng.pick(['etcdserver/server.go:1448', 'mvcc/index.go:214', 'wal/wal.go:802']),
        msg: rng.pick(['compacted revision', 'apply request took too long', 'saved snapshot', 'triggering snapshot']),
        'local-member-id': 'a49c021e76e707db',
      }),
    containerd: (ts, rng) =>
      `time="${isoNano(ts, rng)}" level=${rng.next() < 0.05 ? 'warning' : 'info'} msg="${rng.pick(['loading plugin', 'starting cri plugin', 'shim disconnected', 'cleaning up after shim disconnected'])}" id=${rng.hex(12)}`,
    cri: (ts, rng) =>
      `time="${isoNano(ts, rng)}" level=info msg="${rng.pick(['RunPodSandbox returns sandbox id', 'StartContainer returns successfully', 'ImageCreate event', 'PullImage returned'])}" namespace=k8s.io`,
    apid: (ts, rng) => apidRequestLine(ts, rng, `/machine.MachineService/${rng.pick(METHODS)}`, 'Success', ['os:admin']),
    trustd: (ts, rng) =>
      `${goLogTime(ts, rng)} log.go:118: OK [/securityapi.SecurityService/Certificate] ${(rng.next() * 5).toFixed(3)}ms unary Success (:authority=${hostname})`,
    auditd: (ts, rng) =>
      `type=${rng.pick(['SYSCALL', 'AVC', 'PROCTITLE'])} msg=audit(${(ts / 1000).toFixed(3)}:${rng.int(100, 99999)}): pid=${rng.int(100, 9000)} comm="${rng.pick(['containerd', 'kubelet', 'runc'])}"`,
    syslogd: (ts, rng) =>
      `<${rng.int(13, 30)}>1 ${iso(ts)} ${hostname} ${rng.pick(['kubelet', 'containerd', 'chronyd'])} - - - ${rng.pick(['started', 'reloaded', 'synchronised'])}`,
    udevd: (_ts, rng) =>
      `udevd[${rng.int(300, 600)}]: ${rng.pick(['Processing device', 'Device ready', 'Rules reloaded'])} /devices/virtual/net/${rng.pick(['eth0', 'lo', 'cni0'])}`,
    dashboard: (_ts, rng) => `dashboard: refreshed ${rng.int(1, 9)} panes`,
    'ext-iscsid': (_ts, rng) =>
      `iscsid: ${rng.pick(['Connection1:0 to [target: iqn.2026-01.lab:storage, portal: 10.5.0.50,3260] through [iface: default] is operational now', 'iscsid shutting down.', 'Kernel reported iSCSI connection 1:0 error (1020)'])}`,
    'controller-runtime': (ts, rng) => {
      const level = rng.next() < 0.05 ? 'WARN' : 'INFO';
      return `${iso(ts)} ${zapLevel[level]} reconcile ${rng.pick(['succeeded', 'requeued'])} {"component": "controller-runtime", "controller": "${rng.pick(controllers)}"}`;
    },
  };
}

/** A CRI container log line: `<RFC3339Nano> stdout|stderr F <text>`, with a klog body. */
export function criLine(ts: number, rng: Rng, component: string): string {
  const d = new Date(ts);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const klog = `${rng.pick(['I', 'I', 'I', 'W', 'E'])}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}${p(rng.int(0, 999), 3)}       1 ${component}.go:${rng.int(40, 900)}] "${rng.pick(['Caches populated', 'Reconciled', 'Successfully synced', 'Watch closed'])}"`;
  return `${isoNano(ts, rng)} ${rng.next() < 0.3 ? 'stdout' : 'stderr'} F ${klog}`;
}

export function kernelRecord(ts: number, rng: Rng, facility: string, priority: string, message: string): string {
  return `${facility}: ${priority.padStart(7)}: [${isoNano(ts, rng)}]: ${message}\n`;
}
