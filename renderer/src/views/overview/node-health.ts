import type { PerNode } from '../../../../shared/domain/node';
import type { CallFailure, NodeOverview } from '../../../../shared/domain/talos';
import { plural } from '../../lib/format';
import { roleGroup, type RoleGroup } from '../../lib/node-roles';
import { isUnreachable } from '../../lib/unreachable';

/**
 * Worst first: a node that does not answer, one that refused every call, one that is not ready, one with
 * failing services, then one whose readiness or services did not arrive (no verdict without data), then healthy.
 */
export const HEALTH = ['down', 'error', 'not-ready', 'degraded', 'unknown', 'ok'] as const;
export type Health = (typeof HEALTH)[number];
export const HEALTH_LABEL: Record<Health, string> = {
  down: 'not answering',
  error: 'error',
  'not-ready': 'not ready',
  degraded: 'degraded',
  unknown: 'unknown',
  ok: 'healthy',
};

/** One row of the fleet table: what an operator scans for, per node. A null is a part that was not received. */
export interface FleetRow {
  node: string;
  hostname: string;
  role: RoleGroup;
  machineType: string;
  version: string | null;
  stage: string | null;
  ready: boolean | null;
  uptimeSeconds: number | null;
  cpuPercent: number | null;
  memoryPercent: number | null;
  memoryUsedMb: number | null;
  memoryTotalMb: number | null;
  load1: number | null;
  failing: string[] | null;
  /** The calls of this node that did not answer; the rest of the row is what did. */
  notReceived: CallFailure[];
  health: Health;
  /** The one sentence to read first: the node's error, what keeps it from ready, what is failing, or what is missing. */
  problem: string;
}

export function fleetRow(
  result: PerNode<NodeOverview>,
  known: { hostname: string | null; machineType: string | null } | undefined,
  cpuPercent: number | null,
  nowSeconds: number,
): FleetRow {
  if (!result.ok)
    return {
      node: result.node,
      hostname: known?.hostname ?? '',
      role: roleGroup(known?.machineType),
      machineType: known?.machineType ?? 'unknown',
      version: null,
      stage: null,
      ready: null,
      uptimeSeconds: null,
      cpuPercent: null,
      memoryPercent: null,
      memoryUsedMb: null,
      memoryTotalMb: null,
      load1: null,
      failing: null,
      notReceived: [],
      health: isUnreachable(result.error.code) ? 'down' : 'error',
      problem: result.error.message,
    };
  const o = result.value;
  const ready = o.status?.ready ?? null;
  const unmet = o.status?.unmetConditions ?? [];
  const failing = o.failingServices;
  const health: Health =
    ready === false ? 'not-ready' : failing?.length ? 'degraded' : ready === null || failing === null ? 'unknown' : 'ok';
  const missing = o.failures.length ? `Not received: ${o.failures.map((f) => `${f.call} (${f.message})`).join('; ')}` : '';
  const problem =
    [
      unmet.map((c) => `${c.name}: ${c.reason}`).join('; '),
      failing?.length ? `${plural(failing.length, 'service')} failing: ${failing.join(', ')}` : '',
      missing,
    ].find(Boolean) ?? '';
  const machineType = o.machineType ?? known?.machineType ?? 'unknown';
  return {
    node: result.node,
    hostname: o.hostname ?? known?.hostname ?? '',
    role: roleGroup(machineType),
    machineType,
    version: o.version?.tag ?? null,
    stage: o.status?.stage ?? null,
    ready,
    uptimeSeconds: o.bootTime === null ? null : Math.max(0, nowSeconds - o.bootTime),
    cpuPercent: o.cpuSeconds ? cpuPercent : null,
    memoryPercent: o.memory?.totalMb ? (o.memory.usedMb / o.memory.totalMb) * 100 : null,
    memoryUsedMb: o.memory?.usedMb ?? null,
    memoryTotalMb: o.memory?.totalMb ?? null,
    load1: o.load?.load1 ?? null,
    failing,
    notReceived: o.failures,
    health,
    problem,
  };
}

/** Worst health first, then by name, so the node to look at is on top of its group. */
export function worstFirst(a: FleetRow, b: FleetRow): number {
  return (
    HEALTH.indexOf(a.health) - HEALTH.indexOf(b.health) ||
    (a.hostname || a.node).localeCompare(b.hostname || b.node, undefined, { numeric: true })
  );
}

/** The one line above the Overview: every node that needs attention, or "healthy" only when that was received. */
export function healthSummary(rows: FleetRow[]): { healthy: boolean; text: string } {
  if (rows.length === 0) return { healthy: false, text: 'Waiting for the first answer…' };
  const parts: string[] = [];
  const problems = rows.filter((r) => r.health === 'not-ready' || r.health === 'degraded').sort(worstFirst);
  const SHOWN = 3;
  for (const r of problems.slice(0, SHOWN)) parts.push(`${r.hostname || r.node}: ${r.problem}`);
  if (problems.length > SHOWN) parts.push(plural(problems.length - SHOWN, 'more node needs attention', 'more nodes need attention'));
  const count = (h: Health) => rows.filter((r) => r.health === h).length;
  if (count('down')) parts.push(`${plural(count('down'), 'node')} not answering`);
  if (count('error')) parts.push(`${plural(count('error'), 'node')} answered with an error`);
  const unknown = rows.filter((r) => r.health === 'unknown').map((r) => r.hostname || r.node);
  if (unknown.length) parts.push(`health unknown on ${unknown.length > SHOWN ? plural(unknown.length, 'node') : unknown.join(', ')}`);
  if (parts.length) return { healthy: false, text: parts.join('; ') };
  return { healthy: true, text: rows.length === 1 ? 'The node is healthy' : `All ${rows.length} nodes healthy` };
}
