import type { LabNode, ServiceState } from '../model/node';
import { runningMessage } from '../model/service-catalog';
import { isoNano } from '../model/log-formats';

/** Talos' restart runner: how long a crashing service waits before its next start (RestartInterval). */
export const CRASH_TIMINGS = { upMs: 10_000, restartMs: 5_000 };

/** The runner's String() as the restart runner prints it: Containerd(kubelet), Process([...]), Goroutine(machined). */
function runnerName(service: ServiceState): string {
  const { id, runner } = service.def;
  if (runner === 'containerd') return `Containerd(${id})`;
  if (runner === 'process') return `Process(["/bin/${id}" "--address" "/system/run/${id}/${id}.sock"])`;
  return `Goroutine(${id})`;
}

function exitError(service: ServiceState): string {
  const { id, runner } = service.def;
  if (runner === 'containerd') return `task "${id}" failed: exit code 1`;
  if (runner === 'process') return 'exit status 1';
  return `${id}: failed to start: context deadline exceeded`;
}

/** What the crashing service writes to its own log before it exits. */
function crashLines(node: LabNode, service: ServiceState, ts: number): string[] {
  const id = service.def.id;
  if (id === 'kubelet') {
    const line = (offset: number, body: Record<string, unknown>) => JSON.stringify({ ts: ts + offset + 0.5, ...body });
    return [
      line(0, { caller: 'app/server.go:529', msg: 'Kubelet version', v: 0, kubeletVersion: 'v1.36.3' }),
      line(2, { caller: 'app/server.go:531', msg: 'Golang settings', v: 0, GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' }),
      line(40, {
        caller: 'app/server.go:1320',
        msg: 'Failed to run kubelet',
        err: 'failed to run Kubelet: invalid configuration: systemReservedCgroup (--system-reserved-cgroup) must be specified when "system-reserved" contained in enforceNodeAllocatable',
      }),
    ];
  }
  if (id === 'etcd')
    return [
      JSON.stringify({
        level: 'fatal',
        ts: isoNano(ts, node.rng),
        caller: 'etcdmain/etcd.go:204',
        msg: 'discovery failed',
        error: 'listen tcp 10.5.0.2:2380: bind: cannot assign requested address',
      }),
    ];
  return [`${new Date(ts).toISOString()} ${id}: fatal error: exiting with status 1`];
}

/**
 * A service that starts, runs for a few seconds, exits 1 and is restarted by Talos' restart runner, forever. The
 * evidence is Talos' own: ServiceList events alternating `Running: Started task …` and `Waiting: Error running
 * Containerd(kubelet), going to restart forever: task "kubelet" failed: exit code 1`, the same ServiceStateEvents
 * in Events, MachineStatus not ready (services: "kubelet not running"), and the service's own log.
 */
export function stageCrashLoop(node: LabNode, id: string, backfillMs: number): () => void {
  const service = node.services.get(id);
  if (!service) throw new Error(`${node.id.hostname} has no service "${id}" (services: ${[...node.services.keys()].join(', ')})`);
  const source = node.logs.get(id);
  const period = CRASH_TIMINGS.upMs + CRASH_TIMINGS.restartMs;
  let stopped = false;

  const start = (ts: number) => {
    const current = node.services.get(id);
    if (!current) return;
    current.pid = node.rng.int(4000, 60000);
    node.setServiceState(id, 'Running', runningMessage(current.def, current.pid), '', ts);
  };
  let logLines = true;
  const crash = (ts: number) => {
    const current = node.services.get(id);
    if (!current) return;
    if (logLines) source?.buffer.append(crashLines(node, current, ts));
    node.setServiceState(id, 'Waiting', `Error running ${runnerName(current)}, going to restart forever: ${exitError(current)}`, '', ts);
  };

  // A crashing service logs only its start-ups and failures; back-dated lines go only into an empty log, so it
  // stays in time order.
  const now = node.now();
  const originalRate = source?.rate ?? 0;
  if (source) {
    logLines = backfillMs > 0 && source.buffer.size === 0;
    if (!logLines) node.catchUp(source);
    source.generatedUntil = now;
    source.rate = 0;
  }
  if (backfillMs > 0) {
    node.replayHistory(() => {
      for (let t = now - backfillMs; t + CRASH_TIMINGS.upMs <= now; t += period) {
        start(t);
        crash(t + CRASH_TIMINGS.upMs);
      }
    });
  }
  logLines = true;
  if (backfillMs <= 0) crash(now);

  const cycle = () => {
    if (stopped) return;
    if (node.reachable) start(node.now());
    node.after(CRASH_TIMINGS.upMs, () => {
      if (stopped) return;
      if (node.reachable) crash(node.now());
      node.after(CRASH_TIMINGS.restartMs, cycle);
    });
  };
  node.after(CRASH_TIMINGS.restartMs, cycle);
  // After a reboot the service comes up and crashes again.
  const afterBoot = () => {
    if (source) source.rate = 0;
    crash(node.now() + 1);
  };
  node.bootHooks.add(afterBoot);

  return () => {
    stopped = true;
    node.bootHooks.delete(afterBoot);
    const current = node.services.get(id);
    if (!current) return;
    current.pid = node.rng.int(4000, 60000);
    if (source) {
      source.generatedUntil = node.now();
      source.rate = originalRate;
    }
    node.setServiceState(id, 'Running', runningMessage(current.def, current.pid));
    if (current.def.healthCheck) node.setServiceState(id, 'Running', 'Health check successful', '', node.now(), { healthy: true });
  };
}
