import type { AuditEntry, AuditVerification } from '../../../shared/domain/audit';

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
      'Each entry hash = sha256(prev + "\\n" + JSON of the entry without prev, hash and mac); each prev equals the hash of the entry before it. The first entry of a later segment (kind "break") links to the SHA-256 of the segment it replaced.',
  };
  if (format === 'jsonl') return [...entries.map((e) => JSON.stringify(e)), JSON.stringify({ proof })].join('\n') + '\n';
  const header = [
    'seq',
    'time',
    'kind',
    'operation',
    'step',
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
    'mac',
    'break',
  ];
  const rows = entries.map((e) =>
    [
      e.seq,
      e.time,
      e.kind ?? '',
      e.operation ?? '',
      e.step ?? '',
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
      e.mac ?? '',
      e.break ?? '',
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...rows, `# proof: ${JSON.stringify(proof)}`].join('\n') + '\n';
}
