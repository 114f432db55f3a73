import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit';
import { AuditLog, type NewAuditEntry } from './audit-log';
import { entryHash } from './chain';
import { makeSeal } from './seal';

let dir: string;
let file: string;
let key: Buffer | null;
const sealKey = () => (key ? Buffer.from(key) : null);

const intent = (n: number): NewAuditEntry => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  kind: 'intent',
  operation: `op-${n}`,
  osUser: 'tester',
  identity: { name: 'admin@lab', fingerprint: 'AA:BB', roles: ['os:admin'] },
  nodes: ['10.5.0.2'],
  method: '/machine.MachineService/ServiceRestart',
  args: { id: `svc-${n}` },
  outcomes: [],
  talosctl: `talosctl -n 10.5.0.2 service svc-${n} restart`,
});

const lines = async (name = 'audit.jsonl') => (await readFile(path.join(dir, name), 'utf8')).split('\n').filter(Boolean);
const writeLines = (content: string[]) => writeFile(file, content.map((l) => l + '\n').join(''));

async function fiveEntries(): Promise<AuditLog> {
  const log = new AuditLog(file, sealKey);
  for (let n = 1; n <= 5; n++) await log.append(intent(n));
  return log;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-audit-log-'));
  file = path.join(dir, 'audit.jsonl');
  key = randomBytes(32);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Re-chains entries from `from` (0-based) after an edit, as a forger without the key would: no MACs. */
function rechain(original: string[], from: number, edit: (e: AuditEntry) => void): string[] {
  const entries = original.map((l) => JSON.parse(l) as AuditEntry);
  edit(entries[from]!);
  for (let i = from; i < entries.length; i++) {
    const { hash: _hash, mac: _mac, ...rest } = entries[i]!;
    const base = { ...rest, prev: i === 0 ? '0'.repeat(64) : entries[i - 1]!.hash };
    entries[i] = { ...base, hash: entryHash(base) };
  }
  return entries.map((e) => JSON.stringify(e));
}

type Tamper = { name: string; apply: (original: string[]) => Promise<void>; expected: object; expectedLocked?: object };
const tampers: Tamper[] = [
  {
    name: 'an edited entry',
    apply: (o) => writeLines(o.map((l, i) => (i === 2 ? l.replace('svc-3', 'svc-X') : l))),
    expected: { segment: 1, line: 3, seq: 3, reason: expect.stringContaining('changed after it was written') },
  },
  {
    name: 'a deleted entry',
    apply: (o) => writeLines(o.filter((_l, i) => i !== 1)),
    expected: { line: 2, seq: 3, reason: expect.stringContaining('entries before it are missing (expected entry 2)') },
  },
  {
    name: 'reordered entries',
    apply: (o) => writeLines([o[0]!, o[2]!, o[1]!, o[3]!, o[4]!]),
    expected: { line: 2, seq: 3, reason: expect.stringContaining('missing') },
  },
  {
    name: 'entries removed from the end',
    apply: (o) => writeLines(o.slice(0, 4)),
    expected: { line: 4, seq: 4, reason: expect.stringContaining('seal says this segment holds 5 entries but the file has 4') },
  },
  {
    name: 'a re-chained forgery',
    apply: (o) => writeLines(rechain(o, 2, (e) => (e.args = { id: 'etcd' }))),
    expected: { line: 3, seq: 3, reason: expect.stringContaining('no signature') },
    // Without the key only the seal's head shows the forgery, at the last entry.
    expectedLocked: { line: 5, seq: 5, reason: expect.stringContaining('entries were replaced') },
  },
  {
    name: 'a deleted seal',
    apply: () => rm(`${file}.seal`),
    expected: { line: 5, seq: 5, reason: expect.stringContaining('seal file is missing') },
  },
  {
    name: 'a line cut in half',
    apply: (o) => writeFile(file, o.slice(0, 4).join('\n') + '\n' + o[4]!.slice(0, 30)),
    expected: { line: 5, seq: null, reason: expect.stringContaining('cut off') },
  },
];

describe('the audit log', () => {
  it('writes signed, chained entries and verifies them intact with a valid seal', async () => {
    const log = await fiveEntries();
    expect(await log.verify()).toMatchObject({ state: 'intact', count: 5, seal: 'valid', firstBroken: null, problems: [], breaks: [] });
    const stored = (await lines()).map((l) => JSON.parse(l) as AuditEntry);
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored.every((e) => /^[0-9a-f]{64}$/.test(e.mac ?? ''))).toBe(true);
    expect(JSON.parse(await readFile(`${file}.seal`, 'utf8'))).toMatchObject({
      version: 2,
      segment: 1,
      count: 5,
      head: stored[4]!.hash,
      pending: null,
    });
  });

  it('refuses to write without the seal key (vault locked) and leaves the trail untouched', async () => {
    const log = await fiveEntries();
    const before = await readFile(file, 'utf8');
    key = null;
    await expect(log.append(intent(6))).rejects.toMatchObject({
      code: 'AUDIT_UNAVAILABLE',
      message: expect.stringContaining('Unlock the vault'),
    });
    await expect(new AuditLog(file, sealKey).begin(intent(6))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  for (const tamper of tampers) {
    describe(`finds ${tamper.name}`, () => {
      it('while the app runs, at the right entry, and continues in a new segment that records the break', async () => {
        const log = await fiveEntries();
        await tamper.apply(await lines());
        const tampered = await readFile(file, 'utf8').catch(() => null);
        const v = await log.verify();
        expect(v.state).toBe('broken');
        expect(v.firstBroken).toMatchObject(tamper.expected);
        expect(await readFile(file, 'utf8').catch(() => null)).toBe(tampered);

        const next = await log.append(intent(6));
        const [opening, ...rest] = (await lines('audit.2.jsonl')).map((l) => JSON.parse(l) as AuditEntry);
        expect(opening).toMatchObject({ kind: 'break', break: { segment: 1, file: 'audit.jsonl', firstProblem: tamper.expected } });
        expect(rest).toEqual([next]);
        const after = await log.verify();
        expect(after).toMatchObject({ state: 'broken', seal: 'valid', firstBroken: tamper.expected });
        expect(after.segments).toEqual([
          expect.objectContaining({ segment: 1, state: 'broken' }),
          { segment: 2, file: 'audit.2.jsonl', entries: 2, state: 'intact' },
        ]);
        expect(after.breaks).toHaveLength(1);
      });

      it('after a restart, before and after the unlock, and the break stays recorded', async () => {
        await fiveEntries();
        await tamper.apply(await lines());
        const vaultKey = key;
        key = null;
        const restarted = new AuditLog(file, sealKey);
        const locked = await restarted.verify();
        expect(locked.state).toBe('broken');
        expect(locked.firstBroken).toMatchObject(tamper.expectedLocked ?? tamper.expected);
        expect(await readdir(dir)).not.toContain('audit.2.jsonl');

        key = vaultKey;
        const unlocked = await restarted.unlocked();
        expect(unlocked.state).toBe('broken');
        expect(unlocked.firstBroken).toMatchObject(tamper.expected);
        expect(unlocked.breaks).toHaveLength(1);

        const again = await new AuditLog(file, sealKey).unlocked();
        expect(again).toMatchObject({ state: 'broken', seal: 'valid', firstBroken: tamper.expected });
        expect(again.breaks).toHaveLength(1);
      });
    });
  }

  it('lists what it can read from a corrupt trail, locates every bad line, and appends to a new segment', async () => {
    const log = await fiveEntries();
    const original = await lines();
    await writeLines([...original.slice(0, 2), '{"broken":', ...original.slice(2), '{"seq":9}']);
    expect((await log.entries()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const v = await log.verify();
    expect(v.problems).toEqual([
      expect.objectContaining({ line: 3, seq: null, reason: expect.stringContaining('not valid JSON') }),
      expect.objectContaining({ line: 7, seq: null, reason: expect.stringContaining('not an audit entry') }),
    ]);
    expect(v.firstBroken).toMatchObject({ line: 3 });
    const written = await log.append(intent(6));
    expect(written.seq).toBe(7);
    expect((await log.entries()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reports a later segment that lost its link, and a deleted newest segment', async () => {
    const log = await fiveEntries();
    await writeLines((await lines()).slice(0, 4));
    await log.append(intent(6));
    await appendFile(file, (await lines())[0] + '\n');
    expect((await log.verify()).problems).toContainEqual(
      expect.objectContaining({ segment: 2, line: 1, reason: expect.stringContaining('earlier segment was changed after the break') }),
    );
    await rm(path.join(dir, 'audit.2.jsonl'));
    const v = await new AuditLog(file, sealKey).verify();
    expect(v.problems).toContainEqual(expect.objectContaining({ segment: 2, reason: 'the file of segment 2 is missing' }));
  });

  it('finishes an append a crash cut short while its line was written, and says so', async () => {
    let crash = false;
    const log = new AuditLog(file, sealKey, {
      afterPendingSeal: () => {
        if (crash) throw new Error('power cut');
      },
    });
    for (let n = 1; n <= 5; n++) await log.append(intent(n));
    crash = true;
    await expect(log.append(intent(6))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    await appendFile(file, '{"seq":6,"time":"2026-');
    const restarted = new AuditLog(file, sealKey);
    const v = await restarted.unlocked();
    expect(v).toMatchObject({ state: 'intact', count: 5, seal: 'valid' });
    expect(v.repaired).toMatch(/partial line was moved to audit\.jsonl\.cut-\d+.*5 entries before it are intact/);
    expect(await restarted.append(intent(7))).toMatchObject({ seq: 6 });
    expect(await restarted.verify()).toMatchObject({ state: 'intact', count: 6 });
  });

  it('accepts a line written just before a crash when the pending seal names it', async () => {
    await fiveEntries();
    const seal = JSON.parse(await readFile(`${file}.seal`, 'utf8')) as { head: string };
    const entries = (await lines()).map((l) => JSON.parse(l) as AuditEntry);
    await writeFile(
      `${file}.seal`,
      JSON.stringify(makeSeal(key!, { segment: 1, count: 4, head: entries[3]!.hash, unsigned: 0, pending: { count: 5, head: seal.head } })),
    );
    expect(await new AuditLog(file, sealKey).unlocked()).toMatchObject({ state: 'intact', seal: 'valid', count: 5 });
  });

  it('records the outcome of an operation begun before the vault was locked', async () => {
    const log = new AuditLog(file, sealKey);
    const operation = await log.begin(intent(1));
    key = null;
    await operation.record({ ...intent(1), kind: 'outcome', outcomes: [{ node: '10.5.0.2', ok: true }] });
    operation.end();
    await expect(operation.record({ ...intent(1), kind: 'outcome' })).rejects.toThrow(/already closed/);
    key = null;
    expect(await log.verify()).toMatchObject({ state: 'intact', count: 2, seal: 'unavailable' });
  });

  it('verifies and continues a trail written by an older version (no MACs, a count:head seal)', async () => {
    const { createHmac } = await import('node:crypto');
    const old: AuditEntry[] = [];
    for (let n = 1; n <= 3; n++) {
      const { kind: _k, operation: _o, ...rest } = intent(n);
      const base = { ...rest, outcomes: [{ node: '10.5.0.2', ok: true }], seq: n, prev: old.at(-1)?.hash ?? '0'.repeat(64) };
      old.push({ ...base, hash: entryHash(base) });
    }
    await writeLines(old.map((e) => JSON.stringify(e)));
    const head = old[2]!.hash;
    await writeFile(`${file}.seal`, JSON.stringify({ count: 3, head, hmac: createHmac('sha256', key!).update(`3:${head}`).digest('hex') }));
    const log = new AuditLog(file, sealKey);
    expect(await log.unlocked()).toMatchObject({ state: 'intact', seal: 'valid', count: 3 });
    await log.append(intent(4));
    expect(await new AuditLog(file, sealKey).verify()).toMatchObject({ state: 'intact', seal: 'valid', count: 4 });
    // Stripping the MAC of the new entry is caught even though older entries have none.
    const stripped = (await lines()).map((l, i) => (i === 3 ? JSON.stringify({ ...JSON.parse(l), mac: undefined }) : l));
    await writeLines(stripped);
    expect((await new AuditLog(file, sealKey).verify()).firstBroken).toMatchObject({
      line: 4,
      reason: expect.stringContaining('no signature'),
    });
  });
});
