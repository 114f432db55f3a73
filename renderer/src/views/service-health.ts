import type { TalosService } from '../../../shared/domain/talos';
import { restartsWithin } from '../../../shared/service-history';

export const HOUR_MS = 3_600_000;

/** What a Health cell means, in words: Talos' ServiceHealth is `unknown` until a check answers, and forever for services without one. */
export function healthExplanation(s: Pick<TalosService, 'state' | 'health' | 'healthMessage'>): string {
  if (s.health === 'ok') return `Healthy: the last health check passed${s.healthMessage ? ` (${s.healthMessage})` : ''}.`;
  if (s.health === 'fail') return `Unhealthy: the last health check failed${s.healthMessage ? `: ${s.healthMessage}` : ''}.`;
  if (s.state !== 'Running')
    return `? — health not checked: the service is ${s.state || 'not running'}, and Talos checks health only while a service runs.`;
  return '? — no health result: either this service has no health check (Talos reports ? for those, e.g. dashboard and extension services), or its first check has not run yet.';
}

export const HEALTH_LEGEND =
  'Health: OK = the last health check passed; Fail = it failed (hover for the reason); ? = no result — the service is not running, has no health check, or its first check has not run yet (Talos reports all three as unknown).';

/** Restarts in the last hour and in the whole event history Talos keeps (ServiceList keeps the last 64 events). */
export function restartCounts(s: TalosService, now: number): { hour: number; history: number } {
  return { hour: restartsWithin(s, now - HOUR_MS), history: restartsWithin(s, -Infinity) };
}
