import { createHash } from 'node:crypto';
import {
  QUORUM_OVERRIDE_PHRASE,
  type Operation,
  type OperationAction,
  type Plan,
  type PlanRequest,
} from '../../../shared/domain/operation';
import { AppError } from '../../../shared/errors';
import type { IdentityStore } from '../identities/identity-store';
import type { TalosSessions } from '../talos-sessions';
import { systemClock, type Clock } from './clock';
import type { MutationRequest } from '../audit/recorder';
import type { OperationTrail } from './operation-trail';
import { buildPlan, type StoredPlan } from './planner';
import { OperationRunner } from './runner';

type StartRequest = { planId: string; clusterName: string | null; quorumOverride: string | null };

export interface OperationServiceDeps {
  sessions: Pick<TalosSessions, 'client'>;
  identities: Pick<IdentityStore, 'meta'>;
  onChange(operation: Operation): void;
  clock?: Clock;
  /** How often a gate asks the node again. */
  pollMs?: number;
}

const KEEP_FINISHED = 50;
const EMIT_EVERY_MS = 100;

/** The action as the audit trail keeps it: a config is recorded by size and digest, never by content. */
function recordedAction(action: OperationAction): Record<string, unknown> {
  if (action.kind === 'patch-config') {
    const { patch, ...rest } = action;
    return {
      ...rest,
      patch: `[patch, ${Buffer.byteLength(patch)} bytes, sha256 ${createHash('sha256').update(patch).digest('hex').slice(0, 16)}…]`,
    };
  }
  if (action.kind !== 'apply-config') return { ...action };
  const { yaml, ...rest } = action;
  return {
    ...rest,
    config: `[config, ${Buffer.byteLength(yaml)} bytes, sha256 ${createHash('sha256').update(yaml).digest('hex').slice(0, 16)}…]`,
  };
}

/**
 * Plans and operations on the privileged side. A plan is stored when it is made and runs at most once, exactly as
 * the operator saw it; starting it needs the confirmations the plan asks for. Operations keep running when the
 * renderer leaves the screen, and every change is sent to it.
 */
export class OperationService {
  private readonly plans = new Map<string, StoredPlan>();
  private readonly runners = new Map<string, OperationRunner>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly clock: Clock;

  constructor(private readonly deps: OperationServiceDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  async plan(request: PlanRequest): Promise<Plan> {
    const meta = await this.deps.identities.meta(request.identityId);
    const client = await this.deps.sessions.client(request.identityId);
    const stored = await buildPlan(client, { id: request.identityId, name: meta.name, roles: meta.roles }, request, () => this.clock.now());
    this.forgetExpiredPlans();
    this.plans.set(stored.plan.id, stored);
    return stored.plan;
  }

  /** The identity a stored plan runs as, so the host's access policy can refuse it (read-only, shift lock) before it starts. */
  identityOfPlan(planId: string): string | null {
    return this.plans.get(planId)?.plan.identityId ?? null;
  }

  /**
   * What the trail records before the operation starts: the plan as confirmed, with the confirmations typed.
   * The dispatcher writes it before `start` runs, so a refused start is on the trail too.
   */
  intentFor(request: StartRequest): MutationRequest {
    const stored = this.stored(request.planId);
    const intent = this.intent(stored);
    const override = this.overridden(stored, request);
    return {
      ...intent,
      args: {
        ...intent.args,
        clusterNameTyped: stored.plan.typeClusterName,
        quorumOverride: override,
        ...(override ? { overridden: stored.plan.refusals } : {}),
      },
    };
  }

  /** Starts a confirmed plan on the trail the dispatcher opened for it; the runner records its steps and its end. */
  async start(request: StartRequest, trail: OperationTrail): Promise<Operation> {
    const stored = this.stored(request.planId);
    const { plan } = stored;
    const override = this.overridden(stored, request);
    const refusal = this.refusal(stored, request.clusterName, override);
    if (refusal) throw refusal;
    const meta = await this.deps.identities.meta(plan.identityId);
    const client = await this.deps.sessions.client(plan.identityId);
    this.plans.delete(plan.id);
    const runner = new OperationRunner({
      client,
      stored,
      trail,
      quorumOverride: override,
      clock: this.clock,
      pollMs: this.deps.pollMs ?? 1000,
      who: meta.name,
      onChange: (op) => this.changed(op),
    });
    this.runners.set(runner.operation.id, runner);
    this.forgetOldOperations();
    return structuredClone(runner.operation);
  }

  private stored(planId: string): StoredPlan {
    const stored = this.plans.get(planId);
    if (!stored)
      throw new AppError('NOT_FOUND', 'This plan is not known (it already ran, expired, or the app restarted). Make the plan again.');
    return stored;
  }

  private overridden(stored: StoredPlan, request: StartRequest): boolean {
    return stored.plan.refusals.length > 0 && request.quorumOverride?.trim() === QUORUM_OVERRIDE_PHRASE;
  }

  /** Why a stored plan may not start (expired, blocked, unconfirmed, overlapping a running operation), or null. */
  private refusal(stored: StoredPlan, clusterName: string | null, override: boolean): AppError | null {
    const { plan } = stored;
    if (Date.parse(plan.expiresAt) < this.clock.now()) {
      this.plans.delete(plan.id);
      return new AppError(
        'FAILED_PRECONDITION',
        'This plan is older than 15 minutes; the cluster may have changed since. Make the plan again.',
      );
    }
    if (plan.blockers.length) return new AppError('FAILED_PRECONDITION', `This plan cannot run: ${plan.blockers.join(' ')}`);
    if (plan.typeClusterName && clusterName?.trim() !== plan.cluster)
      return new AppError('INVALID_ARGUMENT', `Type the cluster name "${plan.cluster}" to confirm a plan that takes control planes down.`);
    if (plan.refusals.length && !override)
      return new AppError(
        'FAILED_PRECONDITION',
        `The quorum guard refuses ${plan.refusals.map((r) => `${r.node}: ${r.reason}`).join('; ')}. Type "${QUORUM_OVERRIDE_PHRASE}" to override; the override is recorded in the audit trail.`,
      );
    const busy = this.running().flatMap((r) =>
      r.operation.steps.filter((s) => plan.steps.some((p) => p.node === s.node)).map((s) => `${s.node} (${r.operation.title})`),
    );
    if (busy.length)
      return new AppError('FAILED_PRECONDITION', `Another operation is still running on ${busy.join(', ')}. Wait for it, or cancel it.`);
    return null;
  }

  /** What the trail records as the operation's intent: the plan as confirmed. */
  private intent(stored: StoredPlan) {
    const { plan } = stored;
    return {
      identityId: plan.identityId,
      nodes: plan.steps.map((s) => s.node),
      method: plan.method,
      args: {
        title: plan.title,
        summary: plan.summary,
        order: plan.steps.map((s) => `${s.batch}. ${s.node} (${s.hostname || '?'}, ${s.role})`),
        workerBatchSize: plan.workerBatchSize,
        gateTimeoutSeconds: plan.gateTimeoutSeconds,
        action: recordedAction(stored.request.action),
      } as Record<string, unknown>,
      talosctl: plan.steps.map((s) => s.talosctl).join(' && '),
    };
  }

  control(operationId: string, action: 'pause' | 'resume' | 'cancel'): Operation {
    const runner = this.runners.get(operationId);
    if (!runner) throw new AppError('NOT_FOUND', 'There is no such operation (the app may have restarted).');
    runner.control(action);
    return structuredClone(runner.operation);
  }

  list(): Operation[] {
    return [...this.runners.values()].map((r) => structuredClone(r.operation)).reverse();
  }

  /** Waits for an operation to end (tests and shutdown). */
  finished(operationId: string): Promise<void> {
    return this.runners.get(operationId)?.finished ?? Promise.resolve();
  }

  async dispose(): Promise<void> {
    const running = this.running();
    for (const r of running) r.control('cancel');
    await Promise.all(running.map((r) => r.finished));
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  private running(): OperationRunner[] {
    return [...this.runners.values()].filter((r) => !r.operation.endedAt);
  }

  /** Sends at most one snapshot per operation every 100 ms, and the final one at once. */
  private changed(op: Operation): void {
    if (op.endedAt) {
      clearTimeout(this.timers.get(op.id));
      this.timers.delete(op.id);
      this.deps.onChange(structuredClone(op));
      return;
    }
    if (this.timers.has(op.id)) return;
    this.timers.set(
      op.id,
      setTimeout(() => {
        this.timers.delete(op.id);
        this.deps.onChange(structuredClone(op));
      }, EMIT_EVERY_MS),
    );
  }

  private forgetExpiredPlans(): void {
    const now = this.clock.now();
    for (const [id, p] of this.plans) if (Date.parse(p.plan.expiresAt) < now) this.plans.delete(id);
  }

  private forgetOldOperations(): void {
    const finished = [...this.runners.values()].filter((r) => r.operation.endedAt);
    for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.runners.delete(r.operation.id);
  }
}
