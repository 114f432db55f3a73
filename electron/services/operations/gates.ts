import type { OperationAction } from '../../../shared/domain/operation';
import { AppError } from '../../../shared/errors';
import type { TalosClient } from '../../talos/client';
import type { BootMarker, LifecycleCalls } from '../../talos/calls/lifecycle';
import type { Clock } from './clock';
import type { GateId } from './step-kinds';
import type { StepTracker } from './step-tracker';

/** What a step's gates compare against: read just before the step was sent. */
export interface Before {
  marker: BootMarker | null;
  /** Services that were running and healthy (or running without a health check) before the step. */
  healthy: { id: string; checked: boolean }[];
  service: { state: string; health: string } | null;
}

export interface GateContext {
  client: TalosClient;
  calls: LifecycleCalls;
  node: string;
  action: OperationAction;
  before: Before;
  tracker: StepTracker;
  expectedVersion: string | null;
}

export interface GateResult {
  ok: boolean;
  detail: string;
  /** Waiting longer cannot change the answer (the node refused the step). */
  final?: boolean;
}

const CHECK_TIMEOUT_MS = 8_000;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const unreachable = (error: unknown) => error instanceof AppError && ['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED'].includes(error.code);

async function markerNow(ctx: GateContext): Promise<BootMarker | Error> {
  try {
    return await ctx.calls.bootMarker(ctx.node, CHECK_TIMEOUT_MS);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const describeMarker = (m: BootMarker) => (m.source === 'boot_id' ? `boot id ${m.value.slice(0, 8)}…` : `boot time ${m.value}`);

/** Member ids compare as numbers: talosctl prints them zero-padded, operators often type them without. */
export const sameMember = (a: string, b: string) =>
  /^[0-9a-f]+$/i.test(a) && /^[0-9a-f]+$/i.test(b) && BigInt(`0x${a}`) === BigInt(`0x${b}`);

const CHECKS: Record<GateId, (ctx: GateContext) => Promise<GateResult>> = {
  async down(ctx) {
    if (ctx.tracker.refusal) return { ok: false, detail: ctx.tracker.refusal, final: true };
    if (ctx.tracker.sawDown) return { ok: true, detail: 'the node dropped its connections for the reboot' };
    const now = await markerNow(ctx);
    if (now instanceof Error)
      return unreachable(now) ? { ok: true, detail: `not answering: ${now.message}` } : { ok: false, detail: now.message };
    if (ctx.before.marker && now.value !== ctx.before.marker.value)
      return { ok: true, detail: `already back with a new ${describeMarker(now)}` };
    return { ok: false, detail: `still up (${ctx.tracker.detail || 'waiting for the reboot sequence'})` };
  },
  async off(ctx) {
    if (ctx.tracker.refusal) return { ok: false, detail: ctx.tracker.refusal, final: true };
    try {
      await ctx.client.version(ctx.node, { timeoutMs: CHECK_TIMEOUT_MS });
      return { ok: false, detail: `still answering (${ctx.tracker.detail || 'waiting for the shutdown sequence'})` };
    } catch (error) {
      if (unreachable(error)) return { ok: true, detail: `no longer answering: ${message(error)}` };
      return { ok: false, detail: message(error) };
    }
  },
  async boot(ctx) {
    const now = await markerNow(ctx);
    if (now instanceof Error) return { ok: false, detail: `not answering yet: ${now.message}` };
    if (!ctx.before.marker) return { ok: true, detail: `answering (${describeMarker(now)})` };
    if (now.value === ctx.before.marker.value)
      return { ok: false, detail: `answers with the same ${describeMarker(now)}: it has not rebooted` };
    return { ok: true, detail: `answering with a new ${describeMarker(now)}` };
  },
  async version(ctx) {
    const v = await ctx.client.version(ctx.node, { timeoutMs: CHECK_TIMEOUT_MS });
    if (!ctx.expectedVersion) return { ok: true, detail: `runs ${v.tag}` };
    return v.tag === ctx.expectedVersion
      ? { ok: true, detail: `runs ${v.tag}` }
      : { ok: false, detail: `runs ${v.tag}, expected ${ctx.expectedVersion}` };
  },
  async ready(ctx) {
    const s = await ctx.client.evidence.machineStatus(ctx.node);
    const unmet = s.unmetConditions.map((c) => `${c.name}: ${c.reason}`).join('; ');
    const detail = `stage ${s.stage}, ${s.ready ? 'ready' : 'not ready'}${unmet ? ` (${unmet})` : ''}`;
    return { ok: s.stage === 'running' && s.ready && s.unmetConditions.length === 0, detail };
  },
  async services(ctx) {
    const services = await ctx.client.services(ctx.node);
    const bad = ctx.before.healthy.flatMap(({ id, checked }) => {
      const s = services.find((x) => x.id === id);
      if (!s) return [`${id} is missing`];
      if (s.state !== 'Running') return [`${id} is ${s.state}${s.lastEvent ? ` (${s.lastEvent})` : ''}`];
      if (checked && s.health !== 'ok')
        return [`${id} is ${s.health === 'fail' ? 'unhealthy' : 'not yet healthy'}${s.healthMessage ? `: ${s.healthMessage}` : ''}`];
      return [];
    });
    return bad.length
      ? { ok: false, detail: bad.join('; ') }
      : { ok: true, detail: `${ctx.before.healthy.length} service(s) healthy again` };
  },
  async service(ctx) {
    if (ctx.action.kind !== 'service') return { ok: true, detail: '' };
    const { service: id, action } = ctx.action;
    const s = (await ctx.client.services(ctx.node)).find((x) => x.id === id);
    if (!s) return { ok: false, detail: `${id} is not defined on this node` };
    if (action === 'stop')
      return ['Finished', 'Failed', 'Skipped'].includes(s.state)
        ? { ok: true, detail: `${id} is ${s.state}` }
        : { ok: false, detail: `${id} is still ${s.state}` };
    if (action === 'restart' && !ctx.tracker.restarted(id, ctx.before.service?.state ?? ''))
      return { ok: false, detail: `${id} has not restarted yet (it is ${s.state})` };
    if (s.state !== 'Running') return { ok: false, detail: `${id} is ${s.state}${s.lastEvent ? ` (${s.lastEvent})` : ''}` };
    const wasHealthy = ctx.before.service?.health === 'ok';
    if (wasHealthy && s.health !== 'ok')
      return {
        ok: false,
        detail: `${id} is running but ${s.health === 'fail' ? 'unhealthy' : 'not yet healthy'}${s.healthMessage ? `: ${s.healthMessage}` : ''}`,
      };
    return { ok: true, detail: `${id} is running${s.health === 'ok' ? ' and healthy' : ''}` };
  },
  async left(ctx) {
    const etcd = (await ctx.client.services(ctx.node)).find((s) => s.id === 'etcd');
    if (etcd?.state === 'Running') return { ok: false, detail: `etcd is still running (${etcd.lastEvent})` };
    return { ok: true, detail: `etcd is ${etcd?.state ?? 'gone'} on this node` };
  },
  async removed(ctx) {
    if (ctx.action.kind !== 'etcd-remove-member') return { ok: true, detail: '' };
    const id = ctx.action.memberId;
    const members = await ctx.client.etcdMembers(ctx.node);
    return members.some((m) => sameMember(m.id, id))
      ? { ok: false, detail: `member ${id} is still listed` }
      : { ok: true, detail: `${members.length} member(s) left, ${id} not among them` };
  },
  async alarms(ctx) {
    const alarms = (await ctx.client.etcdAlarms(ctx.node)).filter((a) => a.alarm !== 'NONE');
    return alarms.length
      ? { ok: false, detail: `still armed: ${alarms.map((a) => `${a.alarm} on ${a.memberId}`).join(', ')}` }
      : { ok: true, detail: 'no alarms' };
  },
  async image(ctx) {
    if (ctx.action.kind !== 'image-pull') return { ok: true, detail: '' };
    const { image, store } = ctx.action;
    const bare = image.replace(/^docker\.io\/(library\/)?/, '');
    const found = (await ctx.client.images.list(ctx.node, store)).find(
      (i) => i.name === image || i.name.endsWith(bare) || i.name.startsWith(`${image}@`),
    );
    return found
      ? { ok: true, detail: `${found.name} (${found.digest.slice(0, 19)}…)` }
      : { ok: false, detail: `${image} is not listed in ${store}` };
  },
  async etcd(ctx) {
    const status = await ctx.client.etcdStatus(ctx.node);
    if (!status) return { ok: false, detail: 'EtcdStatus returned no member status' };
    if (status.errors.length) return { ok: false, detail: `etcd reports errors: ${status.errors.join('; ')}` };
    if (status.isLearner) return { ok: false, detail: 'the etcd member is still a learner' };
    if (/^0+$/.test(status.leader)) return { ok: false, detail: 'etcd has no leader (the member sees leader 0)' };
    return { ok: true, detail: `member ${String(status.memberId)} healthy, leader ${String(status.leader)}` };
  },
};

/** One attempt at a gate: a thrown error is the gate not passing yet, with what the node said. */
export async function checkGate(id: GateId, ctx: GateContext): Promise<GateResult> {
  try {
    return await CHECKS[id](ctx);
  } catch (error) {
    return { ok: false, detail: message(error) };
  }
}

/** Polls a gate until it passes, its timeout runs out or `signal` aborts; `onDetail` sees each new answer. */
export async function waitForGate(
  id: GateId,
  ctx: GateContext,
  o: { timeoutMs: number; pollMs: number; clock: Clock; signal: AbortSignal; onDetail(detail: string): void },
): Promise<GateResult & { cancelled?: boolean }> {
  const deadline = o.clock.now() + o.timeoutMs;
  let last = '';
  for (;;) {
    if (o.signal.aborted) return { ok: false, detail: 'not checked: the operation was cancelled', cancelled: true };
    const result = await checkGate(id, ctx);
    if (result.ok || result.final) return result;
    if (result.detail !== last) o.onDetail(result.detail);
    last = result.detail;
    if (o.clock.now() >= deadline) return { ok: false, detail: `${result.detail} (still after ${Math.round(o.timeoutMs / 1000)} s)` };
    await o.clock.sleep(o.pollMs, o.signal);
  }
}
