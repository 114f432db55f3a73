import type { AuditEntry } from '../../../shared/domain/audit';
import type { CallFailure, TalosEvent, TalosService } from '../../../shared/domain/talos';
import { compareTimeline, type Timeline, type TimelineEntry, type TimelineKind } from '../../../shared/domain/timeline';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { parseKernelRecord } from '../../../shared/kernel-record';
import { xidTime } from '../../../shared/xid';
import type { TalosClient } from '../../talos/client';
import { fanOut } from '../../talos/fan-out';

/** How long the Events history may take to arrive, and the quiet gap after which it is complete (Events then follows live). */
export const EVENT_READ = { firstMs: 3000, quietMs: 400, maxMs: 8000 };
const KERNEL_PRIORITIES: Record<string, TimelineEntry['severity']> = {
  warning: 'warning',
  warn: 'warning',
  err: 'error',
  crit: 'error',
  alert: 'error',
  emerg: 'error',
};

/** The Events ring (about 1000 events, lost on reboot): read what is there, stop when it goes quiet. */
async function readEvents(client: TalosClient, node: string, sinceSeconds: number): Promise<TalosEvent[]> {
  const events: TalosEvent[] = [];
  const abort = new AbortController();
  let timer = setTimeout(() => abort.abort(), EVENT_READ.firstMs);
  const cap = setTimeout(() => abort.abort(), EVENT_READ.maxMs);
  try {
    await client.events(
      node,
      { tailSeconds: sinceSeconds },
      (e) => {
        events.push(e);
        clearTimeout(timer);
        timer = setTimeout(() => abort.abort(), EVENT_READ.quietMs);
      },
      abort.signal,
    );
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    clearTimeout(cap);
  }
  return events;
}

function eventKind(e: TalosEvent): TimelineKind {
  const sequence = String(e.data.sequence ?? '');
  if (e.type === 'ServiceStateEvent') return 'service';
  if (e.type === 'MachineStatusEvent') return 'machine';
  if (e.type === 'RestartEvent') return 'reboot';
  if (e.type.startsWith('Config')) return 'config';
  if (e.type === 'SequenceEvent')
    return sequence === 'reboot' || sequence === 'shutdown' ? 'reboot' : /upgrade/i.test(sequence) ? 'upgrade' : 'sequence';
  if (e.type === 'PhaseEvent' || e.type === 'TaskEvent') return 'sequence';
  return 'event';
}

function eventSeverity(e: TalosEvent): TimelineEntry['severity'] {
  if (e.type.startsWith('Config') || (e.type === 'SequenceEvent' && e.data.error)) return 'error';
  if (e.type === 'ServiceStateEvent' && (/Failed/.test(String(e.data.state)) || /going to restart|Error/i.test(String(e.data.message))))
    return 'error';
  if (e.type === 'MachineStatusEvent' && e.data.ready === false) return 'warning';
  return 'info';
}

export function fromEvent(node: string, e: TalosEvent, fallbackAt: number): TimelineEntry {
  return {
    id: `event:${node}:${e.id}`,
    at: xidTime(e.id) ?? fallbackAt,
    node,
    kind: eventKind(e),
    source: 'Events',
    title: e.summary,
    detail: e.type,
    actor: e.actorId,
    actorIds: e.actorId ? [e.actorId] : [],
    log: e.type === 'ServiceStateEvent' ? String(e.data.service) : null,
    severity: eventSeverity(e),
  };
}

/** ServiceList keeps each service's last 64 state changes: those older than the Events ring fill in its history. */
function fromServiceList(node: string, services: TalosService[], before: number, since: number): TimelineEntry[] {
  return services.flatMap((s) =>
    s.events
      .map((e) => ({ e, at: e.ts ? Date.parse(e.ts) : NaN }))
      .filter(({ at }) => Number.isFinite(at) && at < before && at >= since)
      .map(({ e, at }, i) => ({
        id: `service:${node}:${s.id}:${at}:${i}`,
        at,
        node,
        kind: 'service' as const,
        source: 'ServiceList',
        title: `${s.id}: ${e.state} — ${e.msg}`,
        detail: 'ServiceList event history',
        actor: '',
        actorIds: [],
        log: s.id,
        severity: /going to restart|Error|Failed/i.test(`${e.state} ${e.msg}`) ? ('error' as const) : ('info' as const),
      })),
  );
}

function fromDmesg(node: string, lines: string[], since: number): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  lines.forEach((line, i) => {
    const r = parseKernelRecord(line);
    const severity = KERNEL_PRIORITIES[r.priority];
    const at = r.time ? Date.parse(r.time.replace(/(\.\d{3})\d+/, '$1')) : NaN;
    if (!severity || !Number.isFinite(at) || at < since) return;
    out.push({
      id: `kernel:${node}:${at}:${i}`,
      at,
      node,
      kind: 'kernel',
      source: 'dmesg',
      title: r.message,
      detail: `${r.facility}.${r.priority}`,
      actor: '',
      actorIds: [],
      log: 'kernel',
      severity,
    });
  });
  return out;
}

const METHOD_KIND: Record<string, TimelineKind> = {
  Reboot: 'reboot',
  Shutdown: 'reboot',
  Upgrade: 'upgrade',
  ApplyConfiguration: 'config',
};

/** The operator's own audited actions: one entry per operation (its intent), with how it went and the actor ids Talos gave back. */
export function fromAudit(entries: AuditEntry[], nodes: string[], since: number): TimelineEntry[] {
  const wanted = new Set(nodes);
  const byOperation = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    if (e.kind === 'break' || !e.nodes.some((n) => wanted.has(n))) continue;
    const key = e.operation ?? `seq:${e.seq}`;
    byOperation.set(key, [...(byOperation.get(key) ?? []), e]);
  }
  const out: TimelineEntry[] = [];
  for (const [operation, list] of byOperation) {
    const first = list[0]!;
    const at = Date.parse(first.time);
    if (!Number.isFinite(at) || at < since) continue;
    const outcomes = list.flatMap((e) => e.outcomes);
    const failed = outcomes.filter((o) => !o.ok);
    const method = first.method.slice(first.method.lastIndexOf('/') + 1);
    const state = !outcomes.length ? 'started' : failed.length ? `failed on ${failed.map((o) => o.node).join(', ')}` : 'ok';
    const targets = first.nodes.filter((n) => wanted.has(n));
    out.push({
      id: `audit:${operation}`,
      at,
      node: targets.length === 1 ? targets[0]! : null,
      kind: METHOD_KIND[method] ?? 'audit',
      source: 'audit',
      title: `${method} by ${first.identity.name}${first.step ? ` (${first.step})` : ''}: ${state}`,
      detail: first.talosctl,
      actor: `${first.identity.name} (${first.osUser})`,
      actorIds: [...new Set(outcomes.map((o) => o.actorId).filter((a): a is string => !!a))],
      log: null,
      severity: failed.length ? 'error' : 'info',
    });
  }
  return out;
}

function failureOf(call: string, error: unknown): CallFailure {
  const e = error instanceof AppError ? error : new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
  return { call, code: e.code, message: e.message };
}

/** One node's part: Events, older service history, its current boot and kernel warnings/errors; each part kept when another fails. */
async function nodeTimeline(
  client: TalosClient,
  node: string,
  since: number,
  now: number,
): Promise<{ entries: TimelineEntry[]; failures: CallFailure[] }> {
  const failures: CallFailure[] = [];
  const attempt = async <T>(call: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      failures.push(failureOf(call, error));
      return null;
    }
  };
  const [events, services, stat, bootId, dmesg] = await Promise.all([
    attempt('Events', () => readEvents(client, node, Math.ceil((now - since) / 1000))),
    attempt('ServiceList', () => client.services(node)),
    attempt('SystemStat', () => client.systemStat(node)),
    attempt('boot_id', async () => (await client.read(node, '/proc/sys/kernel/random/boot_id', 4096)).toString('utf8').trim()),
    attempt('Dmesg', async () => {
      const lines: string[] = [];
      await client.dmesg(node, { follow: false, tail: false }, (l) => lines.push(...l));
      return lines;
    }),
  ]);
  if (failures.length === 5) throw new AppError(failures[0]!.code as ErrorCode, failures[0]!.message);
  const entries: TimelineEntry[] = (events ?? []).map((e) => fromEvent(node, e, now)).filter((e) => e.at >= since);
  const oldestEvent = entries.reduce((min, e) => Math.min(min, e.at), now);
  if (services) entries.push(...fromServiceList(node, services, events?.length ? oldestEvent : now, since));
  if (stat && stat.bootTime * 1000 >= since)
    entries.push({
      id: `boot:${node}:${bootId ?? stat.bootTime}`,
      at: stat.bootTime * 1000,
      node,
      kind: 'reboot',
      source: 'SystemStat',
      title: `booted${bootId ? ` (boot id ${bootId})` : ''}`,
      detail: 'A new boot id: the node (re)started here.',
      actor: '',
      actorIds: [],
      log: 'kernel',
      severity: 'info',
    });
  if (dmesg) entries.push(...fromDmesg(node, dmesg, since));
  return { entries, failures };
}

/** The cluster's timeline over the selected nodes, newest last; the operator's audited actions are merged in. */
export async function collectTimeline(
  client: TalosClient,
  nodes: string[],
  audit: AuditEntry[],
  sinceMinutes: number,
  now: number,
): Promise<Timeline> {
  const since = now - sinceMinutes * 60_000;
  const parts = await fanOut(nodes, (node) => nodeTimeline(client, node, since, now), 32);
  const entries: TimelineEntry[] = fromAudit(audit, nodes, since);
  const failures: Timeline['failures'] = [];
  for (const p of parts) {
    if (p.ok) {
      entries.push(...p.value.entries);
      if (p.value.failures.length) failures.push({ node: p.node, failures: p.value.failures });
    } else failures.push({ node: p.node, failures: [{ call: 'all', code: p.error.code, message: p.error.message }] });
  }
  entries.sort(compareTimeline);
  return { entries, failures, collectedAt: now };
}
