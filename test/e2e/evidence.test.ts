import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;

beforeAll(async () => {
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
}, 60_000);

afterAll(async () => app?.stop());

const status = () => app.mode.services.handlers['evidence.status']({});

/** Renders page 1 of a PDF with pdf.js in a blank Chromium page; returns the share of non-white pixels and a PNG. */
async function renderPdfPage(pdf: Buffer): Promise<{ ink: number; png: Buffer }> {
  const viewer = await app.browser.newPage();
  try {
    await viewer.setContent('<canvas id="c"></canvas>');
    const lib = path.resolve('node_modules/pdfjs-dist/build');
    await viewer.addScriptTag({ content: await readFile(path.join(lib, 'pdf.min.mjs'), 'utf8'), type: 'module' });
    const worker = await readFile(path.join(lib, 'pdf.worker.min.mjs'), 'utf8');
    const ink = await viewer.evaluate(
      async ({ data, worker }) => {
        type PdfJs = {
          GlobalWorkerOptions: { workerPort: Worker };
          getDocument(o: { data: Uint8Array }): { promise: Promise<{ getPage(n: number): Promise<PdfPage> }> };
        };
        type PdfPage = {
          getViewport(o: { scale: number }): { width: number; height: number };
          render(o: { canvasContext: CanvasRenderingContext2D; viewport: unknown }): { promise: Promise<void> };
        };
        const g = globalThis as unknown as { pdfjsLib?: PdfJs };
        for (let i = 0; i < 100 && !g.pdfjsLib; i++) await new Promise((r) => setTimeout(r, 50));
        const pdfjs = g.pdfjsLib!;
        pdfjs.GlobalWorkerOptions.workerPort = new Worker(URL.createObjectURL(new Blob([worker], { type: 'text/javascript' })), {
          type: 'module',
        });
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const doc = await pdfjs.getDocument({ data: bytes }).promise;
        const first = await doc.getPage(1);
        const viewport = first.getViewport({ scale: 1.5 });
        const canvas = document.getElementById('c') as HTMLCanvasElement;
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        const ctx = canvas.getContext('2d')!;
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        await first.render({ canvasContext: ctx, viewport }).promise;
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let dark = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) dark++;
        return dark / (pixels.length / 4);
      },
      { data: pdf.toString('base64'), worker },
    );
    const png = await viewer.locator('#c').screenshot();
    return { ink, png };
  } finally {
    await viewer.close();
  }
}

describe('compliance evidence in the app', () => {
  it('generates a pack from the Overview as admin; the report shows every section and the PDF renders', async () => {
    await app.useIdentity('practice admin@lab');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Evidence pack' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Evidence' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('status', { name: 'Last pack' }).waitFor({ timeout: 180_000 });
    expect(await page.getByRole('status', { name: 'Last pack' }).textContent()).toMatch(/0 items not collected/);
    const s = await status();
    expect(s.packs).toHaveLength(1);
    const pack = s.packs[0]!;
    await expect
      .poll(() => page.getByLabel('Signing key fingerprint').textContent())
      .toBe(s.signingKeyFingerprint!.match(/.{1,4}/g)!.join(' '));
    expect(await page.getByRole('table', { name: 'Evidence packs' }).getByRole('row').count()).toBe(2);

    const report = await app.browser.newPage();
    await report.goto(pathToFileURL(path.join(pack.path, 'report.html')).href);
    for (const heading of [
      'Summary',
      'Controls',
      'Nodes',
      'Configuration drift',
      'Access',
      'Change history',
      'What could not be collected',
    ])
      expect(await report.getByRole('heading', { name: heading, exact: true }).isVisible()).toBe(true);
    expect(await report.getByText('SOC 2 CC6.6').isVisible()).toBe(true);
    await report.screenshot({ path: path.join('test-results', 'evidence-report.png') }).catch(() => undefined);
    await report.close();

    const { ink, png } = await renderPdfPage(await readFile(path.join(pack.path, 'report.pdf')));
    expect(png.length).toBeGreaterThan(10_000);
    // A blank or error page has almost no ink; the summary page has a title, tables and verdicts.
    expect(ink).toBeGreaterThan(0.01);
    expect(ink).toBeLessThan(0.6);

    await page.getByRole('button', { name: 'Verify' }).first().click();
    await expect.poll(() => page.getByRole('status', { name: 'Pack verification' }).textContent()).toMatch(/verified \(signature valid/);
  }, 300_000);

  it('generates a reader pack from the command palette that lists what it could not collect, and compares the two', async () => {
    await app.useIdentity('practice reader@lab');
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Command palette' }).getByRole('textbox').fill('evidence pack');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('table', { name: 'Evidence packs' }).getByRole('row').count(), { timeout: 180_000 }).toBe(3);
    const s = await status();
    const readerPack = s.packs.find((p) => p.collector === 'practice reader@lab')!;
    expect(readerPack.unavailable).toBeGreaterThanOrEqual(3);
    const html = await readFile(path.join(readerPack.path, 'report.html'), 'utf8');
    expect(html).toContain('Machine configs are a sensitive resource: reading them needs os:admin');

    const [readerOption, adminOption] = s.packs.map((p) => `${p.cluster} · ${p.collectedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
    await page.getByLabel('Before pack').selectOption({ label: adminOption! });
    await page.getByLabel('After pack').selectOption({ label: readerOption! });
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const table = page.getByRole('table', { name: 'Pack comparison' });
    await table.waitFor();
    // The reader could not read configs: the digests are reported as gone, nothing else changed on the nodes.
    expect(await table.getByText('machine config SHA-256 (redacted, canonical)').count()).toBe(3);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export comparison' }).click();
    expect((await download).suggestedFilename()).toMatch(/^evidence-comparison-.*\.md$/);
  }, 300_000);
});
