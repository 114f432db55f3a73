import os from 'node:os';
import type { AuditEntry } from '../../../shared/domain/audit';

/** Our SD-ID under the IANA "example" enterprise number space, as RFC 5424 section 7.2.2 allows for private use. */
export const SD_ID = 'nodeglass@32473';

const sdEscape = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
const token = (v: string, max: number) => (v.replace(/[^\x21-\x7e]/g, '_') || '-').slice(0, max);

/**
 * One audit entry as an RFC 5424 message: facility authpriv (10), severity notice (5) or warning (4) for a
 * failure or a trail break; the entry's chain position (seq, hash, prev) and who/what as structured data;
 * the whole entry as JSON in MSG so the SIEM can verify the hash itself.
 */
export function formatEntry(entry: AuditEntry, hostname = os.hostname()): string {
  const failed = entry.kind === 'break' || entry.outcomes.some((o) => !o.ok);
  const pri = 10 * 8 + (failed ? 4 : 5);
  const params: [string, string][] = [
    ['seq', String(entry.seq)],
    ['hash', entry.hash],
    ['prev', entry.prev],
    ['kind', entry.kind ?? 'record'],
    ['method', entry.method],
    ['identity', entry.identity.name],
    ['fingerprint', entry.identity.fingerprint],
    ['osUser', entry.osUser],
    ['nodes', entry.nodes.join(',')],
  ];
  if (entry.operation) params.push(['operation', entry.operation]);
  const sd = `[${SD_ID} ${params.map(([k, v]) => `${k}="${sdEscape(v)}"`).join(' ')}]`;
  return `<${pri}>1 ${entry.time} ${token(hostname, 255)} nodeglass - audit ${sd} ${JSON.stringify(entry)}`;
}

/** RFC 5425 octet-counting framing: the message's length in bytes, a space, the message. */
export function frame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}
