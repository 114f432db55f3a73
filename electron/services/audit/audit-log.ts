import { copyFile, mkdir, open, readdir, readFile, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry, AuditVerification } from '../../../shared/domain/audit';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../../certs/atomic-file';
import { entryHash, entryMac, GENESIS } from './chain';
import { osUser } from './os-user';
import { makeSeal, type SealContent } from './seal';
import { evaluateTrail, type SegmentFile, type TrailEvaluation } from './verify-trail';

export { entryHash } from './chain';

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'prev' | 'hash'>;

/** What this process knows the current segment ends with, checked before every append. */
interface Tail {
  segment: number;
  size: number;
  lastLine: string;
  count: number;
  head: string;
  seq: number;
  unsigned: number;
  sealText: string | null;
}

export interface AuditLogOptions {
  now?: () => Date;
  /** Called whenever a verification result is known (after verify, unlock, or a break found on append). */
  onVerified?: (verification: AuditVerification) => void;
  /** Called after an entry is durably written (the SIEM forwarder picks it up from here). */
  onAppended?: (entry: AuditEntry) => void;
  /** Test seam: runs between the pending seal and the line write, to simulate a crash there. */
  afterPendingSeal?: () => void;
}

function ioError(error: unknown, what: string, where: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as NodeJS.ErrnoException;
  return new AppError(
    'AUDIT_UNAVAILABLE',
    `The audit trail in ${where} cannot be ${what} (${e.code ?? 'error'}: ${e.message}). Nothing was sent to a node. Check that the folder exists, is writable by you and the disk has space, then try again.`,
  );
}

/**
 * The tamper-evident audit trail: JSON lines, each carrying the SHA-256 of the previous entry and its own.
 * The current segment's entry count and head hash are sealed with an HMAC under a key from the vault, so
 * removing the newest entries or replacing the file shows too.
 *
 * Nothing is ever sealed over content that was not verified first: when the vault is unlocked, and before
 * each append, the trail is checked against the existing seal. A segment that fails is never repaired or
 * re-sealed; it stays as found, and the next write opens a new segment (`audit.N.jsonl`) whose first entry
 * records the break (which segment, what the seal said, the first bad line) and links to the broken
 * segment's digest. New entries need the seal key: without it `append` refuses with AUDIT_UNAVAILABLE.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private tail: Tail | null = null;
  private repairedNote: string | null = null;
  private readonly now: () => Date;

  constructor(
    readonly file: string,
    private readonly sealKey: () => Buffer | null,
    private readonly options: AuditLogOptions = {},
  ) {
    if (!file.endsWith('.jsonl')) throw new Error('the audit file name must end in .jsonl');
    this.now = options.now ?? (() => new Date());
  }

  private get dir(): string {
    return path.dirname(this.file);
  }

  private get sealFile(): string {
    return `${this.file}.seal`;
  }

  segmentPath(segment: number): string {
    return segment === 1 ? this.file : this.file.replace(/\.jsonl$/, `.${segment}.jsonl`);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readTrail(): Promise<{ files: SegmentFile[]; sealText: string | null }> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const base = path.basename(this.file, '.jsonl');
      const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.(\\d+))?\\.jsonl$`);
      const files: SegmentFile[] = [];
      for (const name of await readdir(this.dir)) {
        const match = pattern.exec(name);
        if (!match) continue;
        const segment = match[1] ? Number(match[1]) : 1;
        if (segment < 1 || (match[1] && segment === 1)) continue;
        files.push({ segment, file: name, text: await readFile(path.join(this.dir, name), 'utf8') });
      }
      const sealText = await readFile(this.sealFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      return { files, sealText };
    } catch (error) {
      throw ioError(error, 'read', this.dir);
    }
  }

  private async writeSeal(key: Buffer, content: SealContent): Promise<string> {
    const text = JSON.stringify(makeSeal(key, content));
    await writeFileAtomic(this.sealFile, text);
    return text;
  }

  /** Reads and verifies the trail, then does what the verification allows: finish, break or nothing. */
  private async settle(key: Buffer | null): Promise<TrailEvaluation> {
    let { files, sealText } = await this.readTrail();
    let evaluation = evaluateTrail(files, sealText, key);
    if (key && evaluation.action !== 'append') {
      try {
        await this.act(evaluation, key);
      } catch (error) {
        throw ioError(error, 'written', this.dir);
      }
      ({ files, sealText } = await this.readTrail());
      evaluation = evaluateTrail(files, sealText, key);
    }
    const { current } = evaluation;
    // Only a trail verified with the key may be appended to (and so sealed) without reading it again.
    this.tail =
      evaluation.action === 'append'
        ? {
            segment: current.segment,
            size: Buffer.byteLength(files.find((f) => f.segment === current.segment)?.text ?? ''),
            lastLine: lastLineOf(files.find((f) => f.segment === current.segment)?.text ?? ''),
            count: current.lines,
            head: current.head,
            seq: current.lastSeq,
            unsigned: evaluation.unsigned,
            sealText,
          }
        : null;
    evaluation.verification.repaired = this.repairedNote;
    this.options.onVerified?.(evaluation.verification);
    return evaluation;
  }

  private async act(evaluation: TrailEvaluation, key: Buffer): Promise<void> {
    const { current } = evaluation;
    const unsigned = evaluation.unsigned;
    if (evaluation.action === 'finalize') {
      await this.writeSeal(key, { segment: current.segment, count: current.lines, head: current.head, unsigned, pending: null });
    } else if (evaluation.action === 'cut-partial') {
      const file = this.segmentPath(current.segment);
      const aside = `${file}.cut-${this.now().getTime()}`;
      await copyFile(file, aside);
      await truncate(file, current.completeBytes);
      await this.writeSeal(key, { segment: current.segment, count: current.lines, head: current.head, unsigned, pending: null });
      this.repairedNote = `An entry was being written when Nodeglass stopped (the seal expected it); its partial line was moved to ${path.basename(aside)}. The ${current.lines} entries before it are intact.`;
    } else if (evaluation.action === 'break') {
      await this.openSegment(evaluation, key);
    }
  }

  /** Freezes the failed segment as evidence and starts the next one with the record of the break. */
  private async openSegment(evaluation: TrailEvaluation, key: Buffer): Promise<void> {
    const { current, nextSegment, verification } = evaluation;
    const base = {
      time: this.now().toISOString(),
      kind: 'break' as const,
      osUser: osUser(),
      identity: { name: 'Nodeglass', fingerprint: '', roles: [] },
      nodes: [],
      method: 'nodeglass/AuditTrailBreak',
      args: {},
      outcomes: [],
      talosctl: '',
      break: {
        segment: current.segment,
        file: current.file,
        entries: current.entries.length,
        lastSeq: current.lastSeq,
        head: current.head,
        sealed: evaluation.sealed,
        digest: current.digest,
        firstProblem: verification.problems.find((p) => p.segment === current.segment) ?? null,
      },
      seq: evaluation.nextSeq,
      prev: current.digest,
    };
    const hash = entryHash(base);
    const entry: AuditEntry = { ...base, hash, mac: entryMac(key, hash) };
    const line = JSON.stringify(entry) + '\n';
    await this.writeSeal(key, { segment: nextSegment, count: 0, head: GENESIS, unsigned: 0, pending: { count: 1, head: entry.hash } });
    const handle = await open(this.segmentPath(nextSegment), 'wx', 0o600);
    try {
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.writeSeal(key, { segment: nextSegment, count: 1, head: entry.hash, unsigned: 0, pending: null });
    this.options.onAppended?.(entry);
  }

  /** Whether the current segment and the seal are still exactly what this process last wrote or read. */
  private async tailUnchanged(key: Buffer | null): Promise<boolean> {
    const tail = this.tail;
    if (!tail) return false;
    try {
      const file = this.segmentPath(tail.segment);
      const info = await stat(file).catch(() => null);
      if (!info && tail.size === 0) return !key || (await readFile(this.sealFile, 'utf8').catch(() => null)) === tail.sealText;
      if (!info || info.size !== tail.size) return false;
      if (
        await stat(this.segmentPath(tail.segment + 1)).then(
          () => true,
          () => false,
        )
      )
        return false;
      const handle = await open(file, 'r');
      try {
        const length = Buffer.byteLength(tail.lastLine);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, tail.size - length);
        if (buffer.toString('utf8') !== tail.lastLine) return false;
      } finally {
        await handle.close();
      }
      return !key || (await readFile(this.sealFile, 'utf8').catch(() => null)) === tail.sealText;
    } catch {
      return false;
    }
  }

  /**
   * Appends one entry durably (fsync), signed and sealed: a pending seal first, then the line, then the
   * final seal. Refused with AUDIT_UNAVAILABLE when there is no seal key or the trail cannot be written.
   */
  append(entry: NewAuditEntry): Promise<AuditEntry> {
    const key = this.sealKey();
    return this.appendWith(key, entry).finally(() => key?.fill(0));
  }

  /**
   * Writes an operation's intent and returns a handle for its outcomes. The handle keeps its own copy of
   * the seal key, so the outcome of an action already sent to a node is recorded even if the vault is
   * locked meanwhile; `end()` zeroes it.
   */
  async begin(intent: NewAuditEntry): Promise<AuditOperation> {
    const key = this.sealKey();
    let entry: AuditEntry;
    try {
      entry = await this.appendWith(key, intent);
    } catch (error) {
      key?.fill(0);
      throw error;
    }
    let ended = false;
    return {
      intent: entry,
      record: (outcome) =>
        ended ? Promise.reject(new Error('the audit record of this operation was already closed')) : this.appendWith(key, outcome),
      end: () => {
        ended = true;
        key?.fill(0);
      },
    };
  }

  private appendWith(key: Buffer | null, entry: NewAuditEntry): Promise<AuditEntry> {
    return this.serial(async () => {
      if (!key)
        throw new AppError(
          'AUDIT_UNAVAILABLE',
          'Every action is recorded in a sealed audit trail whose key is kept in the vault, and the vault is locked or not set up. Unlock the vault (or create one under Identities), then try again. Nothing was sent to a node.',
        );
      if (!(await this.tailUnchanged(key))) await this.settle(key);
      const tail = this.tail;
      if (!tail)
        throw new AppError(
          'AUDIT_UNAVAILABLE',
          'The audit trail could not be verified, so nothing can be added to it. See the Audit screen for where it broke. Nothing was sent to a node.',
        );
      return this.write(tail, entry, key);
    });
  }

  private async write(tail: Tail, entry: NewAuditEntry, key: Buffer): Promise<AuditEntry> {
    const base = { ...entry, seq: tail.seq + 1, prev: tail.head };
    const hash = entryHash(base);
    const full: AuditEntry = { ...base, hash, mac: entryMac(key, hash) };
    const line = JSON.stringify(full) + '\n';
    const seal = (count: number, head: string, pending: SealContent['pending']) =>
      this.writeSeal(key, { segment: tail.segment, count, head, unsigned: tail.unsigned, pending });
    try {
      await seal(tail.count, tail.head, { count: tail.count + 1, head: hash });
      this.options.afterPendingSeal?.();
      const handle = await open(this.segmentPath(tail.segment), 'a', 0o600);
      try {
        await handle.write(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sealText = await seal(tail.count + 1, hash, null);
      this.tail = {
        ...tail,
        size: tail.size + Buffer.byteLength(line),
        lastLine: line,
        count: tail.count + 1,
        head: hash,
        seq: full.seq,
        sealText,
      };
      this.options.onAppended?.(full);
      return full;
    } catch (error) {
      this.tail = null;
      throw ioError(error, 'written', this.dir);
    }
  }

  /** Every readable entry, oldest first; unreadable lines are left out here and listed by verify(). */
  entries(): Promise<AuditEntry[]> {
    return this.serial(async () => {
      const { files, sealText } = await this.readTrail();
      return evaluateTrail(files, sealText, null).entries;
    });
  }

  /** Verifies the whole trail against the seal; a break found with the vault unlocked is recorded at once. */
  verify(): Promise<AuditVerification> {
    return this.serial(async () => {
      const key = this.sealKey();
      try {
        return (await this.settle(key)).verification;
      } finally {
        key?.fill(0);
      }
    });
  }

  /** The vault was unlocked: check the trail against the existing seal before anything is sealed. */
  unlocked(): Promise<AuditVerification> {
    return this.verify();
  }
}

export interface AuditOperation {
  intent: AuditEntry;
  record(outcome: NewAuditEntry): Promise<AuditEntry>;
  end(): void;
}

function lastLineOf(text: string): string {
  if (!text.endsWith('\n')) return '';
  const start = text.lastIndexOf('\n', text.length - 2) + 1;
  return text.slice(start);
}
