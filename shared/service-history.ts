import type { TalosService } from './domain/talos';

const at = (ts: string | null) => (ts ? Date.parse(ts) : NaN);

/** A service that is not running, or running with a failed health check. */
export const serviceDown = (s: TalosService) => s.state !== 'Running' || s.health === 'fail';

/**
 * Restarts from a service's own event history (ServiceList keeps the last 64): every time it came back to Running
 * after being in another state, since `since`. The first start of a boot is not a restart; health-check
 * updates (Running → Running) are not either.
 */
export function restartsWithin(s: TalosService, since: number): number {
  let count = 0;
  let seenRunning = false;
  for (let i = 0; i < s.events.length; i++) {
    const e = s.events[i]!;
    if (e.state !== 'Running') continue;
    const previous = s.events[i - 1];
    const restart = seenRunning && previous && previous.state !== 'Running';
    seenRunning = true;
    if (restart && at(e.ts) >= since) count++;
  }
  return count;
}

/** The crash events of Talos' restart runner ("Error running …, going to restart forever: …"), oldest first. */
export function crashEvents(s: TalosService): { msg: string; at: number }[] {
  return s.events.filter((e) => /going to restart/.test(e.msg)).map((e) => ({ msg: e.msg, at: at(e.ts) }));
}
