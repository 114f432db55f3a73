import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../../shared/domain/audit';
import type { AuditedOperation, Intent, Outcome } from '../../../shared/handlers';
import type { IdentityStore } from '../identities/identity-store';
import type { AuditLog, NewAuditEntry } from './audit-log';
import { osUser } from './os-user';

const SECRET_KEY = /key|secret|token|password|passphrase|crt|cert|ca$/i;

/** Request arguments as recorded: secrets dropped, config bodies replaced by their size. */
export function sanitizeArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (SECRET_KEY.test(k)) out[k] = '[removed]';
    else if (k === 'data' && typeof v === 'string') out[k] = `[config, ${Buffer.byteLength(v)} bytes]`;
    else out[k] = v;
  }
  return out;
}

export type MutationRequest = Intent;
export type AuditOutcome = Outcome;

/** One operation in the trail: its intent is written; outcomes (per step, then final) follow. */
export interface RecordedOperation extends AuditedOperation {
  intent: AuditEntry;
  /** Records how a step (one node of a rolling operation, say) or, without `step`, the whole operation went. */
  outcome(outcomes: AuditOutcome[], step?: string): Promise<AuditEntry>;
}

export type AuditRecorder = (request: MutationRequest) => Promise<RecordedOperation>;

/** Writes an operation's intent entry (who, what, targets, talosctl) and hands back a way to record its outcomes. */
export function createAuditRecorder(
  log: AuditLog,
  identities: Pick<IdentityStore, 'meta'>,
  now: () => Date = () => new Date(),
): AuditRecorder {
  return async (request) => {
    const meta = request.actor ?? (await identities.meta(request.identityId));
    const id = randomUUID();
    const common = {
      operation: id,
      osUser: osUser(),
      identity: { name: meta.name, fingerprint: meta.fingerprint, roles: meta.roles },
      nodes: request.nodes,
      method: request.method,
      args: sanitizeArgs(request.args),
      talosctl: request.talosctl,
    };
    const entry = (kind: 'intent' | 'outcome', outcomes: AuditOutcome[], step?: string): NewAuditEntry => ({
      time: now().toISOString(),
      kind,
      ...(step ? { step } : {}),
      ...common,
      outcomes,
    });
    const handle = await log.begin(entry('intent', []));
    return {
      id,
      intent: handle.intent,
      outcome: (outcomes, step) => handle.record(entry('outcome', outcomes, step)),
      end: () => handle.end(),
    };
  };
}
