import type { AuditEntry, AuditProblem, AuditVerification } from '../../../shared/domain/audit';
import { GENESIS, scanSegment, sha256, type SegmentScan } from './chain';
import { parseSeal, sealIsAuthentic, type SealPoint } from './seal';

export interface SegmentFile {
  segment: number;
  file: string;
  /** null when the file does not exist. */
  text: string | null;
}

/**
 * What the log may do with the current segment once the seal key is known:
 * - `append`: the segment verified; append to it.
 * - `finalize`: an append was cut short by a crash after its line was written (the seal's pending point
 *   matches); write the final seal.
 * - `cut-partial`: a crash cut the line of an authenticated pending append; move the partial line aside.
 * - `break`: the segment failed verification; it is frozen as evidence and a new segment records the break.
 * - `wait`: no key; nothing can be decided or written yet.
 */
export type TrailAction = 'append' | 'finalize' | 'cut-partial' | 'break' | 'wait';

export interface TrailEvaluation {
  verification: AuditVerification;
  /** The segment new entries go to (the last one), as scanned. */
  current: SegmentScan;
  action: TrailAction;
  /** The number a new segment would get, and the sequence number its first entry takes. */
  nextSegment: number;
  nextSeq: number;
  /** What an authentic seal says the current segment holds (null without key or when it is not authentic). */
  sealed: SealPoint | null;
  /** Leading unsigned entries of the current segment, carried into the next seal. */
  unsigned: number;
  /** Every readable entry of every segment, oldest first. */
  entries: AuditEntry[];
}

const MAX_PROBLEMS = 50;
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function sealProblem(current: SegmentScan, seal: SealPoint): Omit<AuditProblem, 'segment' | 'file'> {
  const { lines, entries } = current;
  if (lines < seal.count)
    return {
      line: Math.max(lines, 1),
      seq: entries.at(-1)?.seq ?? null,
      reason: `the seal says this segment holds ${seal.count} entries but the file has ${lines}: entries were removed from the end, or the file was replaced`,
    };
  const sealedEntry = entries[seal.count - 1];
  if (lines > seal.count && (seal.count === 0 || sealedEntry?.hash === seal.head)) {
    const extra = lines - seal.count;
    return {
      line: seal.count + 1,
      seq: entries[seal.count]?.seq ?? null,
      reason: `${extra} ${plural(extra, 'entry', 'entries')} after the last sealed entry ${plural(extra, 'is', 'are')} not covered by the seal (added while Nodeglass was not running)`,
    };
  }
  return {
    line: Math.min(Math.max(seal.count, 1), Math.max(lines, 1)),
    seq: sealedEntry?.seq ?? entries.at(-1)?.seq ?? null,
    reason: 'the sealed last entry does not match the file: the entries were replaced (a forged or re-chained file)',
  };
}

/**
 * Verifies the whole trail: every segment's chain and signatures, the links between segments, the breaks
 * recorded in it, and the current segment against the seal. Pure: the log reads the files and acts on the
 * result. Without the key only the chain and the seal's unauthenticated numbers can be checked.
 */
export function evaluateTrail(files: SegmentFile[], sealText: string | null, key: Buffer | null): TrailEvaluation {
  const seal = sealText === null ? null : parseSeal(sealText);
  const authentic = seal && key && sealIsAuthentic(key, seal) ? seal : null;
  const present = files.filter((f) => f.text !== null).sort((a, b) => a.segment - b.segment);
  const highest = Math.max(1, ...present.map((f) => f.segment), seal?.segment ?? 1);
  const byIndex = new Map(present.map((f) => [f.segment, f]));
  const fileName = (segment: number) =>
    files.find((f) => f.segment === segment)?.file ?? (segment === 1 ? 'audit.jsonl' : `audit.${segment}.jsonl`);
  const problems: AuditProblem[] = [];
  const scans: SegmentScan[] = [];
  const breaks: AuditVerification['breaks'] = [];
  const missing = new Set<number>();

  let previousText: string | null = null;
  for (let segment = 1; segment <= highest; segment++) {
    const found = byIndex.get(segment);
    if (!found) {
      if (segment < highest || present.length > 0 || (seal?.count ?? 0) > 0) {
        missing.add(segment);
        problems.push({ segment, file: fileName(segment), line: 1, seq: null, reason: `the file of segment ${segment} is missing` });
      }
      previousText = null;
      scans.push(scanSegment(segment, fileName(segment), '', null));
      continue;
    }
    const firstPrev = segment === 1 ? GENESIS : previousText === null ? null : sha256(previousText);
    const unsigned = authentic && authentic.segment === segment ? authentic.unsigned : 'leading';
    const scan = scanSegment(segment, found.file, found.text!, firstPrev, key, unsigned);
    scans.push(scan);
    problems.push(...scan.problems);
    const opening = scan.entries[0];
    if (segment > 1 && opening?.kind === 'break' && opening.break) {
      const recorded = opening.break.firstProblem;
      breaks.push({
        detectedAt: opening.time,
        segment: opening.break.segment,
        reason: recorded?.reason ?? 'the segment failed verification',
      });
      if (recorded && !problems.some((p) => p.segment === recorded.segment && p.line === recorded.line))
        problems.push({ ...recorded, reason: `${recorded.reason} (found ${opening.time})` });
    }
    previousText = found.text;
  }

  const current = scans[highest - 1]!;
  const anyEntries = scans.some((s) => s.lines > 0);
  const flag = (p: Omit<AuditProblem, 'segment' | 'file'>) => problems.push({ segment: highest, file: current.file, ...p });
  const at = (p: SealPoint) => current.lines === p.count && (p.count === 0 || current.head === p.head);

  let sealState: AuditVerification['seal'] = key ? 'valid' : 'unavailable';
  let action: TrailAction = key ? 'append' : 'wait';
  if (sealText === null) {
    sealState = anyEntries ? 'missing' : sealState;
    if (anyEntries)
      flag({
        line: Math.max(current.lines, 1),
        seq: current.entries.at(-1)?.seq ?? null,
        reason: 'the seal file is missing, so entries removed from the end or a replaced file cannot be ruled out',
      });
  } else if (!seal || (key && !authentic)) {
    sealState = 'invalid';
    flag({
      line: Math.max(current.lines, 1),
      seq: null,
      reason: seal ? 'the seal was not made with this vault’s key (it was edited or replaced)' : 'the seal file is not a Nodeglass seal',
    });
  } else if (seal.segment !== highest) {
    sealState = 'invalid';
    flag({ line: 1, seq: null, reason: `the seal is for segment ${seal.segment}, but the newest segment file is ${highest}` });
  } else if (at(seal)) {
    if (current.partialTail && key && seal.pending?.count === seal.count + 1) action = 'cut-partial';
  } else if (seal.pending && at(seal.pending)) {
    if (key) action = 'finalize';
  } else {
    sealState = 'invalid';
    // A cut-off last line explains a seal one entry ahead; that line is the place to point at.
    if (!(current.partialTail && seal.count === current.lines + 1)) flag(sealProblem(current, seal));
  }
  if (current.partialTail && action !== 'cut-partial')
    flag({
      line: current.lines + 1,
      seq: null,
      reason: key
        ? 'the last line is cut off, and the seal does not expect a write in progress'
        : 'the last line is cut off (a write cut short by a crash, or a cut); unlock the vault to check it against the seal',
    });
  if (key && problems.some((p) => p.segment === highest)) action = 'break';

  const segments: AuditVerification['segments'] = scans
    .filter((s) => missing.has(s.segment) || s.lines > 0 || s.partialTail || s.segment === highest)
    .map((s) => ({
      segment: s.segment,
      file: s.file,
      entries: s.entries.length,
      state: missing.has(s.segment) ? 'missing' : problems.some((p) => p.segment === s.segment) ? 'broken' : 'intact',
    }));
  problems.sort((a, b) => a.segment - b.segment || a.line - b.line);
  return {
    verification: {
      state: problems.length || breaks.length ? 'broken' : anyEntries ? 'intact' : 'empty',
      count: scans.reduce((n, s) => n + s.entries.length, 0),
      head: current.head,
      firstBroken: problems[0] ?? null,
      problems: problems.slice(0, MAX_PROBLEMS),
      problemsOmitted: Math.max(0, problems.length - MAX_PROBLEMS),
      seal: sealState,
      segments,
      breaks,
      repaired: null,
    },
    current,
    action,
    nextSegment: highest + 1,
    nextSeq: Math.max(0, ...scans.map((s) => s.lastSeq)) + 1,
    sealed: authentic && authentic.segment === highest ? { count: authentic.count, head: authentic.head } : null,
    unsigned: authentic && authentic.segment === highest ? Math.min(authentic.unsigned, current.lines) : 0,
    entries: scans.flatMap((s) => s.entries),
  };
}
