import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
const run = promisify(execFile);
const shots = path.resolve('test-results', 'evidence');

beforeAll(async () => {
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
  await mkdir(shots, { recursive: true });
}, 90_000);

afterAll(async () => app?.stop());

const status = () => app.mode.services.handlers['evidence.status']({});

/**
 * Renders page 1 of a PDF with pdf.js in Chromium (served from node_modules on a routed origin, with its worker);
 * returns the share of non-white pixels and a PNG of the page.
 */
async function renderPdfPage(pdf: Buffer): Promise<{ ink: number; png: Buffer }> {
  const viewer = await app.browser.newPage();
  const lib = path.resolve('node_modules/pdfjs-dist/build');
  const served: Record<string, { body: Buffer | string; type: string }> = {
    '/index.html': {
      type: 'text/html',
      body: `<canvas id="c"></canvas><script type="module">
        import * as pdfjs from './pdf.min.mjs';
        pdfjs.GlobalWorkerOptions.workerSrc = './pdf.worker.min.mjs';
        window.pdfjs = pdfjs;
        document.body.dataset.ready = 'yes';
      </script>`,
    },
    '/pdf.min.mjs': { type: 'text/javascript', body: await readFile(path.join(lib, 'pdf.min.mjs')) },
    '/pdf.worker.min.mjs': { type: 'text/javascript', body: await readFile(path.join(lib, 'pdf.worker.min.mjs')) },
  };
  try {
    await viewer.route('http://pdf.test/**', (route) => {
      const file = served[new URL(route.request().url()).pathname];
      return file ? route.fulfill({ status: 200, contentType: file.type, body: file.body }) : route.fulfill({ status: 404 });
    });
    await viewer.goto('http://pdf.test/index.html');
    await viewer.waitForSelector('body[data-ready="yes"]', { timeout: 30_000 });
    const ink = await viewer.evaluate(async (data) => {
      type PdfPage = {
        getViewport(o: { scale: number }): { width: number; height: number };
        render(o: { canvasContext: CanvasRenderingContext2D; viewport: unknown }): { promise: Promise<void> };
      };
      const pdfjs = (
        window as unknown as {
          pdfjs: { getDocument(o: { data: Uint8Array }): { promise: Promise<{ getPage(n: number): Promise<PdfPage> }> } };
        }
      ).pdfjs;
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
    }, pdf.toString('base64'));
    const png = await viewer.locator('#c').screenshot();
    return { ink, png };
  } finally {
    await viewer.close();
  }
}

/** Downloads a pack's zip from the Evidence screen as the browser does, and checks it with the project's verifier. */
async function downloadAndVerify(row: number, fingerprint: string): Promise<{ zip: string; files: Record<string, Uint8Array> }> {
  const rows = page.getByRole('table', { name: 'Evidence packs' }).getByRole('row');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    rows
      .nth(row + 1)
      .getByRole('button', { name: 'Download .zip' })
      .click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^nodeglass-evidence-lab-.*\.zip$/);
  const zip = path.join(shots, download.suggestedFilename());
  await download.saveAs(zip);
  const verified = await run('npx', ['tsx', 'scripts/evidence-verify.ts', zip, '--key', fingerprint]);
  expect(verified.stdout).toMatch(/signature: valid; files checked: \d+/);
  expect(verified.stdout.trim().split('\n').at(-1)).toBe('VERIFIED');
  const files = unzipSync(new Uint8Array(await readFile(zip)));
  const root = Object.keys(files)[0]!.split('/')[0]!;
  return {
    zip,
    files: Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name.slice(root.length + 1), bytes])),
  };
}

/** The pack's HTML report as the auditor opens it (from the downloaded zip), with a screenshot of its first screen. */
async function openReport(html: Uint8Array, shot: string) {
  const report = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await report.setContent(Buffer.from(html).toString('utf8'));
  await report.screenshot({ path: path.join(shots, shot) });
  return report;
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
    await expect
      .poll(() => page.getByLabel('Signing key fingerprint').textContent())
      .toBe(s.signingKeyFingerprint!.match(/.{1,4}/g)!.join(' '));
    expect(await page.getByRole('table', { name: 'Evidence packs' }).getByRole('row').count()).toBe(2);

    const { files } = await downloadAndVerify(0, s.signingKeyFingerprint!);
    const report = await openReport(files['report.html']!, 'admin-report-html.png');
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
    await report.close();

    const { ink, png } = await renderPdfPage(Buffer.from(files['report.pdf']!));
    await writeFile(path.join(shots, 'admin-report-pdf-page1.png'), png);
    expect(png.length).toBeGreaterThan(10_000);
    // A blank or error page has almost no ink; the summary page has a title, tables and verdicts.
    expect(ink).toBeGreaterThan(0.01);
    expect(ink).toBeLessThan(0.6);
    const evidence = JSON.parse(Buffer.from(files['evidence.json']!).toString()) as {
      nodes: { config: unknown }[];
      unavailable: unknown[];
    };
    expect(evidence.nodes.every((n) => n.config !== null)).toBe(true);
    expect(evidence.unavailable).toEqual([]);

    await page.getByRole('button', { name: 'Verify' }).first().click();
    await expect.poll(() => page.getByRole('status', { name: 'Pack verification' }).textContent()).toMatch(/verified \(signature valid/);
  }, 300_000);

  it('generates a reader pack from the command palette that lists what it could not collect, and compares the two', async () => {
    await app.useIdentity('practice reader@lab');
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Command palette' }).getByRole('textbox').fill('generate compliance evidence');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('table', { name: 'Evidence packs' }).getByRole('row').count(), { timeout: 180_000 }).toBe(3);
    const s = await status();
    const readerPack = s.packs.find((p) => p.collector === 'practice reader@lab')!;
    expect(readerPack.unavailable).toBeGreaterThanOrEqual(3);
    // The reader's pack is the newest row: downloaded, verified, and it says what it left out and why.
    const { files } = await downloadAndVerify(0, s.signingKeyFingerprint!);
    const evidence = JSON.parse(Buffer.from(files['evidence.json']!).toString()) as {
      collector: { identity: string };
      nodes: { config: unknown }[];
      unavailable: { item: string; node: string | null; reason: string }[];
    };
    expect(evidence.collector.identity).toBe('practice reader@lab');
    expect(evidence.nodes.every((n) => n.config === null)).toBe(true);
    expect(evidence.unavailable.filter((u) => u.item === 'machine config')).toHaveLength(3);
    const report = await openReport(files['report.html']!, 'reader-report-html.png');
    const missing = report.getByRole('heading', { name: 'What could not be collected', exact: true });
    await missing.scrollIntoViewIfNeeded();
    await report.screenshot({ path: path.join(shots, 'reader-report-unavailable.png') });
    expect(await report.textContent('body')).toContain('Machine configs are a sensitive resource: reading them needs os:admin');
    await report.close();
    const { png } = await renderPdfPage(Buffer.from(files['report.pdf']!));
    await writeFile(path.join(shots, 'reader-report-pdf-page1.png'), png);

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
  it('shows the Evidence screen at 1280x720 and 1920x1080 in both themes (screenshots in test-results/evidence)', async () => {
    await page.getByRole('tab', { name: 'Evidence' }).click();
    await page.getByRole('table', { name: 'Pack comparison' }).waitFor();
    for (const theme of ['dark', 'light'] as const) {
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme)
        await page.getByRole('button', { name: 'Toggle theme' }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      for (const size of [
        { width: 1280, height: 720 },
        { width: 1920, height: 1080 },
      ]) {
        await page.setViewportSize(size);
        // Nothing spills sideways out of the screen at either size.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(shots, `evidence-${theme}-${size.width}x${size.height}.png`) });
      }
    }
  });
});
