import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { copyFile, mkdir, open, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry, AuditVerification } from '../../../shared/domain/audit';
import { writeFileAtomic } from '../../../certs/atomic-file';

const GENESIS = '0'.repeat(64);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'prev' | 'hash'>;

interface Seal {
  count: number;
  head: string;
  hmac: string;
}

/** The hash an entry must carry: over the previous hash and the entry's own fields. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { prev, ...content } = entry;
  return sha256(`${prev}\n${JSON.stringify(content)}`);
}

/**
 * A tamper-evident, append-only JSON-lines log. Each entry carries the SHA-256 of the previous entry and its
 * own hash, so an edit, a deletion or a reordering breaks the chain at that entry; the head (count and last
 * hash) is sealed with an HMAC whose key comes from the vault, so removing the newest entries shows too.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private head = { count: 0, hash: GENESIS, seq: 0 };
  private opened = false;
  private repairedNote: string | null = null;

  constructor(
    readonly file: string,
    private readonly sealKey: () => Buffer | null,
  ) {}

  private get sealFile(): string {
    return `${this.file}.seal`;
  }

  /** Reads the tail of the chain; a half-written last line (a crash) is moved aside and cut off. */
  private async open(): Promise<void> {
    if (this.opened) return;
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text && !text.endsWith('\n')) {
      const keep = text.lastIndexOf('\n') + 1;
      const aside = `${this.file}.broken-${Date.now()}`;
      await copyFile(this.file, aside);
      await truncate(this.file, Buffer.byteLength(text.slice(0, keep)));
      this.repairedNote = `The last entry was half-written (a crash during a write); it was cut off and kept in ${path.basename(aside)}. The ${text.slice(0, keep).split('\n').filter(Boolean).length} entries before it are intact.`;
      text = text.slice(0, keep);
    }
    const lines = text.split('\n').filter(Boolean);
    const last = lines.at(-1);
    if (last) {
      const entry = JSON.parse(last) as AuditEntry;
      this.head = { count: lines.length, hash: entry.hash, seq: entry.seq };
    }
    this.opened = true;
  }

  /** Appends one entry durably (fsync) and re-seals the head. Writes are serialized. */
  append(entry: NewAuditEntry): Promise<AuditEntry> {
    const run = this.queue.then(async () => {
      await this.open();
      const base = { ...entry, seq: this.head.seq + 1, prev: this.head.hash };
      const full: AuditEntry = { ...base, hash: entryHash(base) };
      const handle = await open(this.file, 'a', 0o600);
      try {
        await handle.write(JSON.stringify(full) + '\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.head = { count: this.head.count + 1, hash: full.hash, seq: full.seq };
      await this.writeSeal();
      return full;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeSeal(): Promise<void> {
    const key = this.sealKey();
    if (!key) return;
    const seal: Seal = {
      count: this.head.count,
      head: this.head.hash,
      hmac: createHmac('sha256', key).update(`${this.head.count}:${this.head.hash}`).digest('hex'),
    };
    await writeFileAtomic(this.sealFile, JSON.stringify(seal));
  }

  async entries(): Promise<AuditEntry[]> {
    await this.queue;
    await this.open();
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const out: AuditEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as AuditEntry);
      } catch {
        // verify() reports unreadable lines; the list shows what can be read
      }
    }
    return out;
  }

  /** "intact", or the first entry where the chain breaks, plus the state of the seal. */
  async verify(): Promise<AuditVerification> {
    await this.queue;
    await this.open();
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const lines = text.split('\n').filter(Boolean);
    let prev = GENESIS;
    let expectedSeq = 1;
    let firstBroken: AuditVerification['firstBroken'] = null;
    for (let i = 0; i < lines.length && !firstBroken; i++) {
      let entry: AuditEntry;
      try {
        entry = JSON.parse(lines[i]!) as AuditEntry;
      } catch {
        firstBroken = { line: i + 1, seq: null, reason: 'the line is not valid JSON' };
        break;
      }
      const { hash, ...rest } = entry;
      if (entryHash(rest) !== hash)
        firstBroken = {
          line: i + 1,
          seq: entry.seq,
          reason: 'the entry was changed after it was written (its hash does not match its content)',
        };
      else if (entry.prev !== prev)
        firstBroken = {
          line: i + 1,
          seq: entry.seq,
          reason:
            entry.seq > expectedSeq
              ? `entries before it are missing (expected entry ${expectedSeq})`
              : 'it does not follow the entry before it (entries were reordered or replaced)',
        };
      else if (entry.seq !== expectedSeq)
        firstBroken = { line: i + 1, seq: entry.seq, reason: `its sequence number is ${entry.seq}, expected ${expectedSeq}` };
      prev = hash;
      expectedSeq = entry.seq + 1;
    }
    const seal = await this.checkSeal(lines.length, prev);
    if (!firstBroken && seal === 'invalid')
      firstBroken = {
        line: lines.length,
        seq: expectedSeq - 1,
        reason: 'the sealed head does not match the last entry: entries were removed from the end or the file was replaced',
      };
    return {
      state: firstBroken ? 'broken' : lines.length ? 'intact' : 'empty',
      count: lines.length,
      head: prev,
      firstBroken,
      seal,
      repaired: this.repairedNote,
    };
  }

  private async checkSeal(count: number, head: string): Promise<AuditVerification['seal']> {
    const key = this.sealKey();
    let seal: Seal;
    try {
      seal = JSON.parse(await readFile(this.sealFile, 'utf8')) as Seal;
    } catch {
      return count === 0 ? 'valid' : 'missing';
    }
    if (!key) return 'unavailable';
    const expected = createHmac('sha256', key).update(`${seal.count}:${seal.head}`).digest();
    const given = Buffer.from(seal.hmac ?? '', 'hex');
    const authentic = given.length === expected.length && timingSafeEqual(given, expected);
    return authentic && seal.count === count && seal.head === head ? 'valid' : 'invalid';
  }

  /** Re-seals after the vault is unlocked (entries written while it was locked are chained but unsealed). */
  async reseal(): Promise<void> {
    await this.queue;
    await this.open();
    await this.writeSeal();
  }
}
