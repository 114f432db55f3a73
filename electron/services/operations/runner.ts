import type { Operation, OperationAction, StepProgress } from '../../../shared/domain/operation';
import type { TalosClient } from '../../talos/client';
import { lifecycleCalls, type LifecycleCalls } from '../../talos/calls/lifecycle';
import type { Clock } from './clock';
import { readEtcd } from './etcd-reading';
import { sameMember, waitForGate, type Before, type GateContext } from './gates';
import type { OperationTrail, TrailOutcome } from './operation-trail';
import type { StoredPlan } from './planner';
import { memberOf, memberRemovalRefusal, quorumRefusal } from './quorum';
import { imageVersion, stepKind, type GateId } from './step-kinds';
import { StepTracker } from './step-tracker';

export interface RunnerOptions {
  client: TalosClient;
  stored: StoredPlan;
  trail: OperationTrail;
  quorumOverride: boolean;
  clock: Clock;
  pollMs: number;
  /** Who asked for the operation, for the reason a cancel gives. */
  who: string;
  onChange(operation: Operation): void;
}

type StepResult = { ok: true } | { ok: false; reason: string };

/** A config applied in try mode is reverted by the node after the timeout (Talos' RollbackToConfigAfter). */
function revertsAt(action: OperationAction, sent: string, now: number): string | null {
  if ((action.kind !== 'apply-config' && action.kind !== 'patch-config') || action.mode !== 'try') return null;
  if (sent.startsWith('Apply was skipped')) return null;
  return new Date(now + action.tryTimeoutSeconds * 1000).toISOString();
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs a confirmed plan on the privileged side, batch after batch: a live quorum check before each control
 * plane goes down, the call, then every gate of the step. The first failure stops the roll; pause and cancel
 * take effect between steps, and cancel never interrupts a step already sent.
 */
export class OperationRunner {
  readonly operation: Operation;
  readonly finished: Promise<void>;
  private readonly cancel = new AbortController();
  private wake: (() => void) | null = null;
  private readonly calls: LifecycleCalls;
  /** etcd members this roll has left down (shutdown), so the guard counts them out. */
  private readonly downMembers = new Set<string>();
  /** Set when the trail could not be written: no further step runs without it. */
  private auditError: string | null = null;

  constructor(private readonly o: RunnerOptions) {
    const { plan } = o.stored;
    this.calls = lifecycleCalls(o.client.connection);
    this.operation = {
      id: o.trail.id,
      planId: plan.id,
      identityId: plan.identityId,
      identityName: plan.identityName,
      cluster: plan.cluster,
      kind: plan.kind,
      title: plan.title,
      summary: plan.summary,
      state: 'running',
      requested: null,
      quorumOverride: o.quorumOverride,
      startedAt: this.iso(),
      endedAt: null,
      reason: null,
      steps: plan.steps.map((s) => ({
        node: s.node,
        hostname: s.hostname,
        role: s.role,
        batch: s.batch,
        talosctl: s.talosctl,
        stage: 'waiting',
        detail: '',
        reports: [],
        startedAt: null,
        endedAt: null,
        actorId: null,
        revertsAt: null,
        gates: s.gates.map((g) => ({ ...g, status: 'pending', detail: '' })),
        failure: null,
      })),
    };
    this.finished = this.run();
  }

  control(action: 'pause' | 'resume' | 'cancel'): void {
    const op = this.operation;
    if (op.endedAt) return;
    if (action === 'cancel') {
      op.requested = 'cancel';
      this.cancel.abort();
    } else if (action === 'pause') {
      if (op.state === 'running') op.requested = 'pause';
    } else if (op.requested === 'pause' || op.state === 'paused') {
      op.requested = null;
      op.state = 'running';
    }
    void this.record(`${action} requested by ${this.o.who}`, []);
    this.wake?.();
    this.changed();
  }

  private iso(): string {
    return new Date(this.o.clock.now()).toISOString();
  }

  private changed(): void {
    this.o.onChange(this.operation);
  }

  /** Between batches: holds while paused; true when the roll must stop because it was cancelled. */
  private async checkpoint(): Promise<boolean> {
    const op = this.operation;
    if (op.requested === 'pause') {
      op.state = 'paused';
      op.requested = null;
      this.changed();
    }
    while (op.state === 'paused' && !this.cancel.signal.aborted) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return this.cancel.signal.aborted;
  }

  private async run(): Promise<void> {
    const op = this.operation;
    const batches = [...new Set(op.steps.map((s) => s.batch))].map((b) => op.steps.filter((s) => s.batch === b));
    let stopped: string | null = null;
    try {
      for (const batch of batches) {
        if (await this.checkpoint()) break;
        const results = await Promise.all(batch.map((step) => this.runStep(step)));
        const failed = results.find((r): r is { ok: false; reason: string } => !r.ok);
        if (failed) {
          stopped = failed.reason;
          break;
        }
        if (this.auditError) {
          stopped = `Stopped: the audit trail could not be written (${this.auditError}); no further step runs without it.`;
          break;
        }
      }
    } catch (error) {
      stopped = `Nodeglass hit an unexpected error: ${message(error)}`;
    }
    const done = op.steps.filter((s) => s.stage === 'done').length;
    for (const s of op.steps) if (s.stage === 'waiting' || s.stage === 'preflight') s.stage = 'untouched';
    op.endedAt = this.iso();
    op.requested = null;
    if (stopped) {
      op.state = 'failed';
      op.reason = stopped;
    } else if (this.cancel.signal.aborted) {
      op.state = 'cancelled';
      op.reason = `Cancelled by ${this.o.who} after ${done} of ${op.steps.length} step(s); the remaining nodes were not touched.`;
    } else {
      op.state = 'succeeded';
    }
    this.changed();
    await this.o.trail.finish(op.steps.map((s) => this.finalOutcome(s))).catch((error: unknown) => {
      this.auditError = message(error);
    });
  }

  private async record(step: string, outcomes: TrailOutcome[]): Promise<void> {
    try {
      await this.o.trail.step(step, outcomes);
    } catch (error) {
      this.auditError ??= message(error);
    }
  }

  private finalOutcome(s: StepProgress): TrailOutcome {
    const base = { node: s.node, ...(s.actorId ? { actorId: s.actorId } : {}) };
    if (s.stage === 'done') return { ...base, ok: true, message: s.gates.map((g) => g.detail).join('; ') || 'done' };
    if (s.failure) return { ...base, ok: false, code: 'FAILED_PRECONDITION', message: this.operation.reason ?? s.failure.message };
    if (s.stage === 'untouched')
      return { ...base, ok: false, code: 'CANCELLED', message: `not touched: ${this.operation.reason ?? 'the roll ended'}` };
    return { ...base, ok: false, code: 'CANCELLED', message: `sent, not checked: ${s.detail}` };
  }

  private async fail(step: StepProgress, check: string, detail: string): Promise<StepResult> {
    step.stage = 'failed';
    step.failure = { check, message: detail };
    step.endedAt = this.iso();
    const position = this.operation.steps.indexOf(step) + 1;
    const reason = `Stopped at ${step.node}${step.hostname ? ` (${step.hostname})` : ''}, step ${position} of ${this.operation.steps.length}: ${check} — ${detail}`;
    this.changed();
    await this.record(`${step.node}: failed`, [
      { node: step.node, ok: false, code: 'FAILED_PRECONDITION', message: `${check}: ${detail}` },
    ]);
    return { ok: false, reason };
  }

  private otherControlPlanes(): string[] {
    const fromPlan = this.o.stored.plan.etcd?.members.flatMap((m) => (m.node ? [m.node] : [])) ?? [];
    return [...new Set([...this.operation.steps.filter((s) => s.role !== 'worker').map((s) => s.node), ...fromPlan])];
  }

  /** The quorum guard, live: re-read etcd right before a control plane goes down. */
  private async guard(step: StepProgress): Promise<string | null> {
    const reading = await readEtcd(this.o.client, [step.node, ...this.otherControlPlanes().filter((n) => n !== step.node)]);
    const { action } = this.o.stored.request;
    const removes = stepKind(action).removesMember?.(action, step);
    const removed =
      removes === 'own' ? memberOf(reading, step) : removes && reading.members.find((m) => sameMember(m.id, removes.memberId));
    const refusal = removes
      ? memberRemovalRefusal(reading, removed || undefined, removed ? `${removed.hostname} (${removed.id})` : step.node)
      : quorumRefusal(reading, step, this.downMembers);
    if (refusal && this.o.quorumOverride) {
      await this.record(`${step.node}: quorum guard overridden`, [{ node: step.node, ok: true, message: refusal }]);
      return null;
    }
    return refusal;
  }

  private async readBefore(step: StepProgress, gateIds: GateId[]): Promise<Before> {
    const { action } = this.o.stored.request;
    const needsServices = gateIds.includes('services') || gateIds.includes('service');
    const [marker, services] = await Promise.all([
      gateIds.includes('boot') ? this.calls.bootMarker(step.node) : Promise.resolve(null),
      needsServices ? this.o.client.services(step.node) : Promise.resolve([]),
    ]);
    const own = action.kind === 'service' ? services.find((s) => s.id === action.service) : undefined;
    return {
      marker,
      healthy: services.filter((s) => s.state === 'Running' && s.health !== 'fail').map((s) => ({ id: s.id, checked: s.health === 'ok' })),
      service: own ? { state: own.state, health: own.health } : null,
    };
  }

  private async runStep(step: StepProgress): Promise<StepResult> {
    const { stored, client, clock, pollMs } = this.o;
    const { action } = stored.request;
    const kind = stepKind(action);
    const gateIds = step.gates.map((g) => g.id as GateId);
    step.stage = 'preflight';
    step.startedAt = this.iso();
    step.detail = 'reading the node before the step';
    this.changed();

    if ((kind.takesDown || kind.removesMember) && step.role !== 'worker') {
      const refusal = await this.guard(step).catch((error: unknown) => `the quorum guard could not run: ${message(error)}`);
      if (refusal) return this.fail(step, 'quorum guard', refusal);
    }
    let before: Before;
    try {
      before = await this.readBefore(step, gateIds);
    } catch (error) {
      return this.fail(step, 'reading the node before the step', message(error));
    }
    let sending = false;
    const tracker = new StepTracker(client, step.node, (detail) => {
      step.detail = detail;
      step.reports = [...tracker.reports];
      if (step.stage === 'sent' && !sending) step.stage = 'sequence';
      if (step.stage === 'booting' && tracker.bootFinished) step.stage = 'checking';
      this.changed();
    });
    await tracker.start();
    if (this.cancel.signal.aborted) {
      tracker.stop();
      step.stage = 'untouched';
      step.detail = '';
      return { ok: true };
    }

    step.stage = 'sent';
    step.detail = `${kind.verb} sent`;
    let sentMessage = '';
    this.changed();
    const planned = stored.plan.steps.find((s) => s.node === step.node);
    try {
      sending = true;
      const sent = await kind.send(client, step.node, action, {
        upgradePath: planned?.upgradePath ?? null,
        report: (detail) => tracker.report(detail),
      });
      sending = false;
      sentMessage = sent.message;
      step.actorId = sent.actorId;
      step.revertsAt = revertsAt(action, sent.message, this.o.clock.now());
      tracker.setActor(sent.actorId);
      if (step.stage === 'sent') step.detail = sent.message;
      await this.record(`${step.node}: ${kind.verb} sent`, [
        { node: step.node, ok: true, message: sent.message, ...(sent.actorId ? { actorId: sent.actorId } : {}) },
      ]);
    } catch (error) {
      sending = false;
      tracker.stop();
      return this.fail(step, `the ${kind.verb} request`, message(error));
    }
    this.changed();

    const ctx: GateContext = {
      client,
      calls: this.calls,
      node: step.node,
      action,
      before,
      tracker,
      expectedVersion: action.kind === 'upgrade' ? imageVersion(action.image) : null,
    };
    try {
      for (const gate of step.gates) {
        const id = gate.id as GateId;
        if (id === 'boot') step.stage = 'rebooting';
        else if (!['down', 'off'].includes(id) && step.stage !== 'booting') step.stage = 'checking';
        gate.status = 'checking';
        this.changed();
        const result = await waitForGate(id, ctx, {
          timeoutMs: stored.plan.gateTimeoutSeconds * 1000,
          pollMs,
          clock,
          signal: this.cancel.signal,
          onDetail: (detail) => {
            gate.detail = detail;
            this.changed();
          },
        });
        gate.detail = result.detail;
        if (result.cancelled) {
          gate.status = 'pending';
          step.detail = `cancelled while checking; the node carries on with the ${kind.verb} it was sent`;
          step.endedAt = this.iso();
          this.changed();
          return { ok: true };
        }
        if (!result.ok) {
          gate.status = 'failed';
          return this.fail(step, gate.label, result.detail);
        }
        gate.status = 'passed';
        if (id === 'boot') {
          step.stage = 'booting';
          tracker.followBoot();
        }
        this.changed();
      }
      await tracker.settle();
    } finally {
      tracker.stop();
    }
    const member = stored.plan.etcd && kind.staysDown ? stored.plan.etcd.members.find((m) => m.node === step.node) : undefined;
    if (member) this.downMembers.add(member.id);
    step.stage = 'done';
    step.endedAt = this.iso();
    // A step that keeps the node up ends with what the node answered ("Disarmed NOSPACE on …", "Pulled …@sha256:…").
    step.detail = kind.takesDown || !sentMessage ? `${kind.verb} done` : sentMessage;
    this.changed();
    await this.record(`${step.node}: gates passed`, [
      { node: step.node, ok: true, message: step.gates.map((g) => `${g.label}: ${g.detail}`).join('; ') },
    ]);
    return { ok: true };
  }
}
