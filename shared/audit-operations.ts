import type { AuditEntry, AuditFilter } from './domain/audit';

export type OperationStatus = 'ok' | 'failed' | 'partial' | 'started' | 'break';

/** An operation as an auditor reads it: the intent, its step and final outcomes, and how it ended. */
export interface AuditOperationView {
  id: string;
  /** The intent (or, for entries written before intents existed, the one combined entry). */
  first: AuditEntry;
  entries: AuditEntry[];
  /** The final outcome: the last outcome entry without a step (or the combined entry). */
  final: AuditEntry | null;
  status: OperationStatus;
}

function statusOf(outcomes: AuditEntry['outcomes']): OperationStatus {
  const ok = outcomes.filter((o) => o.ok).length;
  return ok === outcomes.length ? 'ok' : ok === 0 ? 'failed' : 'partial';
}

/** Groups entries (in chain order) into operations, in the order their first entries were written. */
export function groupOperations(entries: AuditEntry[]): AuditOperationView[] {
  const byId = new Map<string, AuditOperationView>();
  const out: AuditOperationView[] = [];
  for (const entry of entries) {
    const id = entry.operation ?? `entry:${entry.hash}`;
    let op = byId.get(id);
    if (!op) {
      op = { id, first: entry, entries: [], final: null, status: 'started' };
      byId.set(id, op);
      out.push(op);
    }
    op.entries.push(entry);
    if (entry.kind === 'break') op.status = 'break';
    else if (entry.kind === undefined || (entry.kind === 'outcome' && !entry.step)) {
      op.final = entry;
      op.status = statusOf(entry.outcomes);
    }
  }
  return out;
}

export function matchesFilter(op: AuditOperationView, f: AuditFilter): boolean {
  const { first } = op;
  if (f.from && first.time < f.from) return false;
  if (f.to && first.time > f.to) return false;
  if (f.node && !first.nodes.includes(f.node)) return false;
  if (f.identity && first.identity.name !== f.identity) return false;
  if (f.method && !first.method.toLowerCase().includes(f.method.toLowerCase())) return false;
  if (f.outcome && op.status !== f.outcome) return false;
  return true;
}

/** The entries of the operations that match, in chain order. */
export function filterEntries(entries: AuditEntry[], f: AuditFilter): AuditEntry[] {
  const keep = new Set(
    groupOperations(entries)
      .filter((op) => matchesFilter(op, f))
      .flatMap((op) => op.entries),
  );
  return entries.filter((e) => keep.has(e));
}
