import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShiftState } from './shift-state';

let dir: string;
let file: string;
let now = Date.parse('2026-11-28T08:00:00Z');
const clock = () => now;
const shift = {
  operator: { id: 'op', name: 'shift operator@prod' },
  startedBy: 'admin@prod',
  startedAt: '2026-11-28T08:00:00.000Z',
  endsAt: '2026-11-28T16:00:00.000Z',
  locked: [{ id: 'admin', name: 'admin@prod' }],
  unlocked: [],
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-shift-'));
  file = path.join(dir, 'shift.json');
  now = Date.parse('2026-11-28T08:00:00Z');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the shift lock', () => {
  it('locks the admin identities until a reason unlocks one, and lapses when the shift is over', async () => {
    const state = new ShiftState(file, clock);
    await state.start(shift);
    expect(state.isLocked('admin')).toBe(true);
    expect(state.isLocked('op')).toBe(false);
    await state.unlock('admin', 'admin@prod', 'node 3 is wedged');
    expect(state.isLocked('admin')).toBe(false);

    const reloaded = new ShiftState(file, clock);
    await reloaded.ready();
    expect((await reloaded.current())?.unlocked).toMatchObject([{ id: 'admin', reason: 'node 3 is wedged' }]);

    await reloaded.start(shift);
    expect(reloaded.isLocked('admin')).toBe(true);
    now = Date.parse('2026-11-28T16:00:00Z');
    expect(reloaded.isLocked('admin')).toBe(false);
    expect((await reloaded.current())?.active).toBe(false);
  });

  it('reports a damaged file and carries on without a shift, leaving the file as it was', async () => {
    await writeFile(file, '{"version":1,"shift":{"oper');
    const logged: string[] = [];
    const state = new ShiftState(file, clock, (m) => logged.push(m));
    expect(await state.current()).toBeNull();
    expect(state.isLocked('admin')).toBe(false);
    expect(logged[0]).toMatch(/shift\.json is damaged/);
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"shift":{"oper');
  });
});
