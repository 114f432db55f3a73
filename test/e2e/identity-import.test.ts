import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTalosconfig } from '../helpers/talosconfigs';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
const shots = path.resolve('test-results', 'identity-import');

/** Each piece of a key that a screen could show: the base64 value's ends, each line of the PEM body, the DER. */
function keyPieces(contexts: Record<string, { key: string }>): string[] {
  return Object.values(contexts).flatMap(({ key }) => {
    const body = Buffer.from(key, 'base64')
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'));
    return [key.slice(0, 40), key.slice(40, 80), key.slice(-40), ...body, body.join('')];
  });
}

/** Records every text the page showed from now on: each mutation's text and each input's value (typed or set). */
async function recordScreen(): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (globalThis as unknown as { seen: string[] }).seen = seen;
    document.addEventListener('input', (e) => seen.push((e.target as HTMLTextAreaElement).value ?? ''), true);
    new MutationObserver((records) => {
      for (const r of records) seen.push(r.target.textContent ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** The DOM, the accessibility tree, every field's value, and everything recorded since `recordScreen`. */
async function screenText(): Promise<string> {
  const values = await page.evaluate(() =>
    [...document.querySelectorAll('input, textarea')].map((e) => (e as HTMLInputElement).value).join('\n'),
  );
  const seen = await page.evaluate(() => ((globalThis as unknown as { seen?: string[] }).seen ?? []).join('\n'));
  return [await page.content(), await page.locator('body').ariaSnapshot(), values, seen].join('\n');
}

const panel = () => page.getByRole('region', { name: 'Import talosconfig' });
const preview = () => panel().getByLabel('Talosconfig to import, private keys hidden');

beforeAll(async () => {
  app = await startApp({ clipboard: true });
  page = app.page;
  await mkdir(shots, { recursive: true });
  await app.mode.services.handlers['vault.setup']({ passphrase: 'e2e import passphrase' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(app.mode.host.url);
  await page.getByRole('button', { name: 'Import talosconfig' }).click();
  await panel().waitFor();
}, 60_000);

afterAll(async () => app?.stop());

describe('importing a talosconfig without showing its keys', () => {
  it('masks a pasted talosconfig before anything is shown, imports the chosen contexts and clears the preview', async () => {
    const { yaml, contexts } = await makeTalosconfig([
      { name: 'pasted-admin@lab' },
      { name: 'pasted-reader@lab', roles: ['os:reader'], keyType: 'ecdsa' },
    ]);
    const pieces = keyPieces(contexts);
    // The check below can fail: the pasted text holds every piece.
    const source = [yaml, ...Object.values(contexts).map((c) => Buffer.from(c.key, 'base64').toString())].join('').replace(/\n/g, '');
    for (const piece of pieces) expect(source).toContain(piece);
    await recordScreen();
    await page.evaluate((text) => navigator.clipboard.writeText(text), yaml);
    await panel()
      .getByRole('textbox', { name: /paste the talosconfig/ })
      .focus();
    await page.keyboard.press('Control+V');
    await preview().waitFor();
    const screen = await screenText();
    for (const piece of pieces) expect(screen).not.toContain(piece);
    expect(screen).not.toMatch(/PRIVATE KEY-----\s*\n/);
    const shown = (await preview().textContent())!;
    expect(shown).toMatch(/key: "-----BEGIN ED25519 PRIVATE KEY----- key hidden \(\d+ bytes\)"/);
    expect(shown).toMatch(/key: "-----BEGIN EC PRIVATE KEY----- key hidden \(\d+ bytes\)"/);
    expect(shown).toContain('pasted-reader@lab:');
    await panel().screenshot({ path: path.join(shots, 'pasted-preview-1280x720-dark.png') });

    await panel().getByRole('button', { name: 'Import 2 contexts' }).click();
    await page.getByRole('region', { name: 'Identity pasted-reader@lab', exact: true }).waitFor();
    expect(await preview().count()).toBe(0);
    const after = await screenText();
    for (const piece of pieces) expect(after).not.toContain(piece);
  });

  it('masks a picked file the same way, and Cancel drops the draft', async () => {
    const { yaml, contexts } = await makeTalosconfig([{ name: 'filed@lab' }]);
    const file = path.join(app.dataDir, 'filed-talosconfig');
    await writeFile(file, yaml);
    await recordScreen();
    await panel().getByLabel('Choose a file:').setInputFiles(file);
    await preview().waitFor();
    expect(await panel().textContent()).toContain('From filed-talosconfig, private keys hidden');
    const screen = await screenText();
    for (const piece of keyPieces(contexts)) expect(screen).not.toContain(piece);
    await panel().getByRole('button', { name: 'Cancel' }).click();
    expect(await preview().count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Identity filed@lab', exact: true }).count()).toBe(0);
  });

  it('exports a standard talosconfig as a browser download that imports again through the file picker', async () => {
    const card = page.getByRole('region', { name: 'Identity pasted-admin@lab', exact: true });
    await card.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByLabel(/Standard talosconfig/).check();
    await dialog.getByLabel('I understand the key will be stored in clear').check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export with the key in clear' }).click(),
    ]);
    const file = (await download.path())!;
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^context: pasted-admin@lab$/m);
    const screen = await screenText();
    for (const piece of keyPieces({ a: { key: /key: (\S+)/.exec(text)![1]! } })) expect(screen).not.toContain(piece);

    await panel().getByLabel('Choose a file:').setInputFiles(file);
    await preview().waitFor();
    await panel().getByRole('button', { name: 'Import 1 context' }).click();
    await page.getByRole('region', { name: 'Identity pasted-admin@lab-1', exact: true }).waitFor();
    expect(await page.getByText('already existed, so this one was imported as "pasted-admin@lab-1"').count()).toBeGreaterThan(0);
  });
});
