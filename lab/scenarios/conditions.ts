import { refreshMachineStatus } from '../model/health-resources';
import { kernelRecord } from '../model/log-formats';
import type { LabNode } from '../model/node';

/** Appends a line now and then while the condition lasts (as the component would keep complaining). */
function every(node: LabNode, ms: number, active: () => boolean, write: () => void): void {
  const tick = () => {
    if (!active()) return;
    if (node.reachable) write();
    node.after(ms, tick);
  };
  node.after(ms, tick);
}

const zapWarn = '\x1b[33mWARN\x1b[0m';

/** TimeStatus synced=false, the clock 47 s ahead, MachineStatus unmet `time: time is not synced`, sync errors logged. */
export function stageTimeUnsynced(node: LabNode): () => void {
  let active = true;
  node.health.timeSynced = false;
  node.health.clockOffsetMs = 47_310;
  const log = node.logs.get('controller-runtime');
  const complain = () =>
    log?.buffer.append([
      `${new Date(node.now()).toISOString()} ${zapWarn} time query error with server "time.cloudflare.com" {"component": "controller-runtime", "controller": "time.SyncController", "error": "read udp ${node.id.ip}:41234->162.159.200.1:123: i/o timeout"}`,
    ]);
  complain();
  every(node, 15_000, () => active, complain);
  refreshMachineStatus(node);
  return () => {
    active = false;
    node.health.timeSynced = true;
    node.health.clockOffsetMs = 0;
    refreshMachineStatus(node);
  };
}

/** /var (EPHEMERAL) 98.6 % used in the Mounts call; the kubelet's eviction manager tries to reclaim ephemeral storage. */
export function stageDiskFull(node: LabNode): () => void {
  let active = true;
  node.health.ephemeralUsed = 0.986;
  const kubelet = node.logs.get('kubelet');
  const complain = () => {
    const ts = node.now();
    kubelet?.buffer.append([
      JSON.stringify({
        ts: ts + 0.1,
        caller: 'eviction/eviction_manager.go:366',
        msg: 'Eviction manager: attempting to reclaim',
        resourceName: 'ephemeral-storage',
      }),
      JSON.stringify({
        ts: ts + 0.2,
        caller: 'eviction/eviction_manager.go:377',
        msg: 'Eviction manager: must evict pod(s) to reclaim',
        resourceName: 'ephemeral-storage',
      }),
      JSON.stringify({
        ts: ts + 0.3,
        caller: 'images/image_gc_manager.go:402',
        msg: 'Failed to garbage collect required amount of images',
        err: 'Failed to garbage collect required amount of images. Attempted to free 3221225472 bytes, but only found 0 bytes eligible to free.',
      }),
    ]);
  };
  complain();
  every(node, 10_000, () => active, complain);
  return () => {
    active = false;
    node.health.ephemeralUsed = null;
  };
}

/** NodeStatus nodeReady=false and MachineStatus unmet `nodeReady`; the kubelet reports PLEG unhealthy. */
export function stageNotReady(node: LabNode): () => void {
  let active = true;
  node.health.kubeNodeReady = false;
  const kubelet = node.logs.get('kubelet');
  const pleg = 'PLEG is not healthy: pleg was last seen active 3m4.53s ago; threshold is 3m0s';
  kubelet?.buffer.append([
    JSON.stringify({
      ts: node.now() + 0.1,
      caller: 'nodestatus/setters.go:602',
      msg: 'Node became not ready',
      node: node.id.hostname,
      condition: { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: pleg },
    }),
  ]);
  every(
    node,
    5_000,
    () => active,
    () =>
      kubelet?.buffer.append([
        JSON.stringify({ ts: node.now() + 0.1, caller: 'kubelet/kubelet.go:2445', msg: 'Skipping pod synchronization', err: pleg }),
      ]),
  );
  refreshMachineStatus(node);
  return () => {
    active = false;
    node.health.kubeNodeReady = true;
    refreshMachineStatus(node);
  };
}

/** The kernel's OOM killer in dmesg (invoked, killed, reaped), twice, and memory nearly exhausted. */
export function stageKernelOom(node: LabNode, backfillMs: number): () => void {
  // 96 %, clearly past a 95 % alarm whatever the node's memory size (0.95 exactly rounded to 94.99 % on some).
  node.health.memoryUsed = 0.96;
  const kill = (ts: number, pid: number) => {
    const record = (at: number, facility: string, priority: string, message: string) =>
      kernelRecord(at, node.rng, facility, priority, message).trimEnd();
    const memcg = `/kubepods/burstable/pod${node.rng.uuid()}`;
    node.kernel.append([
      record(
        ts,
        'kern',
        'warning',
        `java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=937`,
      ),
      record(ts + 1, 'kern', 'warning', `CPU: 1 UID: 1000 PID: ${pid} Comm: java Not tainted 6.18.44-talos #1`),
      record(
        ts + 2,
        'kern',
        'info',
        `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=${memcg.slice(1)},mems_allowed=0,global_oom,task_memcg=${memcg},task=java,pid=${pid},uid=1000`,
      ),
      record(
        ts + 3,
        'kern',
        'err',
        `Out of memory: Killed process ${pid} (java) total-vm:7340032kB, anon-rss:3145728kB, file-rss:20480kB, shmem-rss:0kB, UID:1000 pgtables:6644kB oom_score_adj:937`,
      ),
      record(ts + 40, 'kern', 'info', `oom_reaper: reaped process ${pid} (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`),
    ]);
  };
  const now = node.now();
  // Into the ring in time order: an earlier kill only when staged before anything newer was logged.
  if (backfillMs > 0) kill(now - Math.min(backfillMs, 180_000), node.rng.int(30_000, 60_000));
  kill(now, node.rng.int(30_000, 60_000));
  return () => {
    node.health.memoryUsed = null;
  };
}
