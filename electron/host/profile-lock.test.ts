import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBrowserMode } from '../browser/start-browser-mode';
import { lockProfile } from './profile-lock';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-lock-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('one Nodeglass per profile', () => {
  it('refuses a second browser-mode host on the same profile, naming the first, and frees it on stop', async () => {
    const first = await startBrowserMode({ staticDir: dir, dataDir: dir, version: 'test', log: () => undefined });
    try {
      await expect(startBrowserMode({ staticDir: dir, dataDir: dir, version: 'test', log: () => undefined })).rejects.toMatchObject({
        code: 'PROFILE_IN_USE',
        message: expect.stringContaining(`browser mode, process ${process.pid}`),
      });
      expect(JSON.parse(await readFile(path.join(dir, 'nodeglass.lock'), 'utf8'))).toMatchObject({ url: first.host.origin });
    } finally {
      await first.stop();
    }
    const again = await startBrowserMode({ staticDir: dir, dataDir: dir, version: 'test', log: () => undefined });
    await again.stop();
  });

  it('refuses the desktop app on a profile browser mode holds, and takes over a lock whose process is gone', async () => {
    const held = await lockProfile(dir, 'browser');
    await expect(lockProfile(dir, 'desktop', process.pid + 1)).rejects.toMatchObject({ code: 'PROFILE_IN_USE' });
    await held.release();
    await writeFile(path.join(dir, 'nodeglass.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: 'desktop', startedAt: '2026-01-01' }));
    const taken = await lockProfile(dir, 'browser');
    expect(JSON.parse(await readFile(taken.file, 'utf8'))).toMatchObject({ pid: process.pid, host: 'browser' });
    await taken.release();
  });
});
