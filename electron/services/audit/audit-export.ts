import type { AuditEntry, AuditFilter, AuditVerification } from '../../../shared/domain/audit';

export function matchesFilter(entry: AuditEntry, f: AuditFilter): boolean {
  if (f.from && entry.time < f.from) return false;
  if (f.to && entry.time > f.to) return false;
  if (f.node && !entry.nodes.includes(f.node)) return false;
  if (f.identity && entry.identity.name !== f.identity) return false;
  if (f.method && !entry.method.toLowerCase().includes(f.method.toLowerCase())) return false;
  if (f.outcome) {
    const okCount = entry.outcomes.filter((o) => o.ok).length;
    const outcome = okCount === entry.outcomes.length ? 'ok' : okCount === 0 ? 'failed' : 'partial';
    if (outcome !== f.outcome) return false;
  }
  return true;
}

const csvCell = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** An auditor's export: the entries (with their prev/hash links) and a proof of where they sit in the chain. */
export function exportEntries(entries: AuditEntry[], verification: AuditVerification, format: 'jsonl' | 'csv', exportedAt: string): string {
  const proof = {
    exportedAt,
    entries: entries.length,
    firstSeq: entries[0]?.seq ?? null,
    lastSeq: entries.at(-1)?.seq ?? null,
    linksFrom: entries[0]?.prev ?? null,
    linksTo: entries.at(-1)?.hash ?? null,
    chain: verification.state,
    chainHead: verification.head,
    chainLength: verification.count,
    seal: verification.seal,
    howToVerify:
      'Each entry hash = sha256(prev + "\\n" + JSON of the entry without prev and hash); each prev equals the hash of the entry before it.',
  };
  if (format === 'jsonl') return [...entries.map((e) => JSON.stringify(e)), JSON.stringify({ proof })].join('\n') + '\n';
  const header = [
    'seq',
    'time',
    'osUser',
    'identity',
    'fingerprint',
    'roles',
    'nodes',
    'method',
    'args',
    'outcomes',
    'talosctl',
    'prev',
    'hash',
  ];
  const rows = entries.map((e) =>
    [
      e.seq,
      e.time,
      e.osUser,
      e.identity.name,
      e.identity.fingerprint,
      e.identity.roles.join(' '),
      e.nodes.join(' '),
      e.method,
      e.args,
      e.outcomes,
      e.talosctl,
      e.prev,
      e.hash,
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...rows, `# proof: ${JSON.stringify(proof)}`].join('\n') + '\n';
}
