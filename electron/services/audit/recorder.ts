import os from 'node:os';
import type { AuditEntry } from '../../../shared/domain/audit';
import type { IdentityStore } from '../identities/identity-store';
import type { MutationRecord } from '../mutations';
import type { AuditLog } from './audit-log';

const SECRET_KEY = /key|secret|token|password|passphrase|crt|cert|ca$/i;

/** Request arguments as recorded: secrets dropped, config bodies replaced by their size and hash. */
export function sanitizeArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (SECRET_KEY.test(k)) out[k] = '[removed]';
    else if (k === 'data' && typeof v === 'string') out[k] = `[config, ${Buffer.byteLength(v)} bytes]`;
    else out[k] = v;
  }
  return out;
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Turns a mutation's record into an audit entry with who, what, where and how it went. */
export function createAuditRecorder(log: AuditLog, identities: Pick<IdentityStore, 'meta'>, now: () => Date = () => new Date()) {
  return async (record: MutationRecord): Promise<AuditEntry> => {
    const meta = await identities.meta(record.identityId);
    return log.append({
      time: now().toISOString(),
      osUser: osUser(),
      identity: { name: meta.name, fingerprint: meta.fingerprint, roles: meta.roles },
      nodes: record.nodes,
      method: record.method,
      args: sanitizeArgs(record.args),
      outcomes: record.outcomes,
      talosctl: record.talosctl,
    });
  };
}
