import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';

let child: ChildProcess | null = null;
let dir = '';

afterAll(async () => {
  if (child?.pid) process.kill(-child.pid, 'SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm start without the Electron binary', () => {
  it('says Electron is unavailable, serves browser mode at a printed URL, and shows the first-run screen', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-start-'));
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      detached: true,
      env: { ...process.env, NODEGLASS_SKIP_BUILD: '1', NODEGLASS_DATA_DIR: dir },
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 30_000);
      child!.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect(output).toMatch(/Electron is unavailable: .*Starting browser mode instead\./);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await expect.poll(() => page.getByRole('heading', { name: 'Welcome to Nodeglass' }).isVisible(), { timeout: 10_000 }).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
