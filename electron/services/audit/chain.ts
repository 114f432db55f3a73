import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { auditEntrySchema, type AuditEntry, type AuditProblem } from '../../../shared/domain/audit';

export const GENESIS = '0'.repeat(64);
export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The hash an entry must carry: over the previous hash and the entry's own fields (not its MAC). */
export function entryHash(entry: Omit<AuditEntry, 'hash' | 'mac'>): string {
  const { prev, ...content } = entry;
  return sha256(`${prev}\n${JSON.stringify(content)}`);
}

/** An entry's signature: only the holder of the vault can make one, so a re-chained forgery shows where it starts. */
export function entryMac(key: Buffer, hash: string): string {
  return createHmac('sha256', key).update(`nodeglass-audit-entry\n${hash}`).digest('hex');
}

function macMatches(key: Buffer, hash: string, mac: string): boolean {
  const expected = Buffer.from(entryMac(key, hash), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * How entries without a MAC are treated when a key is given: `leading` accepts them only before the first
 * signed entry of the segment; a number accepts exactly that many at the start (what the seal recorded for
 * a trail from before entries were signed).
 */
export type UnsignedAllowance = number | 'leading';

/** What one segment file holds, read line by line without trusting any of it. */
export interface SegmentScan {
  segment: number;
  file: string;
  /** Entries that parse and match the schema, in file order (also those after a break in the chain). */
  entries: AuditEntry[];
  problems: AuditProblem[];
  /** Complete lines (ending in "\n"), readable or not. */
  lines: number;
  /** Bytes after the last "\n": a write cut short by a crash, or a cut made by hand. */
  partialTail: string;
  /** Byte length of the complete lines (what is left when a partial tail is cut off). */
  completeBytes: number;
  /** Hash and sequence number of the last readable entry (GENESIS and 0 when there is none). */
  head: string;
  lastSeq: number;
  digest: string;
}

function describeSchemaError(value: unknown): string | null {
  const parsed = auditEntrySchema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return issue ? `${issue.path.join('.') || 'the entry'}: ${issue.message}` : 'unknown shape';
}

/**
 * Checks one segment's chain: every line parses, carries the hash of its content, links to the line before
 * (the first line of segment 1 to GENESIS, the first line of a later segment, a `break`, to the digest of
 * the segment it replaced) and numbers itself one after it. Every bad line is listed, not only the first.
 */
export function scanSegment(
  segment: number,
  file: string,
  text: string,
  firstPrev: string | null,
  key: Buffer | null = null,
  unsigned: UnsignedAllowance = 0,
): SegmentScan {
  const cut = text.lastIndexOf('\n') + 1;
  const complete = text.slice(0, cut);
  const lines = complete.split('\n').slice(0, -1);
  const problems: AuditProblem[] = [];
  const entries: AuditEntry[] = [];
  const problem = (line: number, seq: number | null, reason: string) => problems.push({ segment, file, line, seq, reason });

  // null = unknown (after an unreadable line we cannot tell what the next entry should link to)
  let prev: string | null = firstPrev;
  let expectedSeq: number | null = segment === 1 ? 1 : null;
  let head = GENESIS;
  let lastSeq = 0;
  let signedSeen = false;
  const unsignedOk = (index: number) => (unsigned === 'leading' ? !signedSeen : index < unsigned);
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problem(lineNo, null, `the line is not valid JSON (${line.length > 40 ? `${line.slice(0, 40)}…` : line || 'empty line'})`);
      prev = expectedSeq = null;
      return;
    }
    const shapeError = describeSchemaError(value);
    if (shapeError) {
      problem(lineNo, null, `the line is JSON but not an audit entry (${shapeError})`);
      prev = expectedSeq = null;
      return;
    }
    const entry = value as AuditEntry;
    const { hash, mac, ...rest } = entry;
    if (entryHash(rest) !== hash)
      problem(lineNo, entry.seq, 'the entry was changed after it was written (its hash does not match its content)');
    else if (key && mac !== undefined && !macMatches(key, hash, mac))
      problem(lineNo, entry.seq, 'its signature does not verify: the entry was forged or re-chained by someone without the vault’s key');
    else if (key && mac === undefined && !unsignedOk(index))
      problem(lineNo, entry.seq, 'it carries no signature although entries here are signed: it was forged or re-chained');
    else if (lineNo === 1 && segment > 1 && entry.kind !== 'break')
      problem(lineNo, entry.seq, 'a later segment must start with the record of the break before it, and this one does not');
    else if (prev !== null && entry.prev !== prev)
      problem(
        lineNo,
        entry.seq,
        lineNo === 1 && segment > 1
          ? `it does not link to segment ${segment - 1} as that file is now (the earlier segment was changed after the break was recorded)`
          : expectedSeq !== null && entry.seq > expectedSeq
            ? `entries before it are missing (expected entry ${expectedSeq})`
            : 'it does not follow the entry before it (entries were reordered or replaced)',
      );
    else if (expectedSeq !== null && entry.seq !== expectedSeq)
      problem(lineNo, entry.seq, `its sequence number is ${entry.seq}, expected ${expectedSeq}`);
    if (mac !== undefined) signedSeen = true;
    entries.push(entry);
    prev = hash;
    head = hash;
    lastSeq = entry.seq;
    expectedSeq = entry.seq + 1;
  });
  return {
    segment,
    file,
    entries,
    problems,
    lines: lines.length,
    partialTail: text.slice(cut),
    completeBytes: Buffer.byteLength(complete),
    head,
    lastSeq,
    digest: sha256(text),
  };
}
