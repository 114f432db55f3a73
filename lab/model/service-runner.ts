import type { LabNode } from './node';
import { runningMessage } from './service-catalog';

/** Pace of simulated lifecycle work: one step per service state change or sequence phase; the reboot's dark time. */
export const timings = { stepMs: 250, rebootDowntimeMs: 3000 };

/**
 * Starts a service as Talos' service runner does (Starting, Waiting for dependencies, Preparing, Running, then its
 * health check), one step apart from `at` ms on. A failing health check configured on the node (a fault) is
 * reported as Talos reports it. Returns when the last step happens.
 */
export function startService(node: LabNode, id: string, actorId: string, at: number, onRunning?: () => void): number {
  const svc = node.services.get(id);
  if (!svc) return at;
  node.after(at, () => node.setServiceState(id, 'Starting', 'Starting service', actorId));
  if (svc.def.waitingFor)
    node.after((at += timings.stepMs), () => node.setServiceState(id, 'Waiting', `Waiting for ${svc.def.waitingFor}`, actorId));
  node.after((at += timings.stepMs), () => node.setServiceState(id, 'Preparing', 'Running pre state', actorId));
  node.after(at, () => node.setServiceState(id, 'Preparing', 'Creating service runner', actorId));
  node.after((at += timings.stepMs), () => {
    svc.pid = node.rng.int(4000, 30000);
    node.setServiceState(id, 'Running', runningMessage(svc.def, svc.pid), actorId);
    onRunning?.();
  });
  if (svc.def.healthCheck)
    node.after((at += timings.stepMs * 2), () => {
      const failure = node.health.failingHealthChecks.get(id);
      node.setServiceState(id, 'Running', failure ? `Health check failed: ${failure}` : 'Health check successful', actorId, node.now(), {
        healthy: !failure,
      });
    });
  return at;
}

export function stopService(node: LabNode, id: string, actorId: string, at: number): number {
  node.after(at, () => node.setServiceState(id, 'Stopping', 'Service stopping', actorId));
  node.after((at += timings.stepMs), () => node.setServiceState(id, 'Finished', 'Service finished successfully', actorId));
  return at;
}
