import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

function electronBinary(): string | null {
  const dir = path.join('node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary)
  console.log(
    '[electron spec] SKIPPED: the Electron binary is not installed here (its download cannot run on this machine); the desktop app is covered where the binary exists.',
  );

describe.skipIf(!binary)('the desktop app under Electron', () => {
  it('opens a hardened window with the first-run screen', async () => {
    const app = await _electron.launch({ executablePath: binary!, args: ['.'] });
    try {
      const window = await app.firstWindow();
      await expect.poll(() => window.getByRole('heading', { name: 'Welcome to Nodeglass' }).isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      expect(
        await window.evaluate(() => [
          typeof (globalThis as { require?: unknown }).require,
          typeof (globalThis as { process?: unknown }).process,
        ]),
      ).toEqual(['undefined', 'undefined']);
      expect(await window.evaluate(() => typeof (globalThis as { nodeglass?: { calls?: unknown } }).nodeglass?.calls)).toBe('object');
    } finally {
      await app.close();
    }
  });
});
