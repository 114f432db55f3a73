import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
let dialogs = 0;

beforeAll(async () => {
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.getByRole('tab', { name: 'Logs' }).click();
});

afterAll(async () => app?.stop());

const lab = () => app.lab();
const status = () => page.getByLabel('Buffer status').textContent();
const buffered = async () => Number(/([\d,]+) buffered/.exec((await status()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);

/** The sources panel folds away once a session starts; the tests open it to change sources, tail or buffer, or to download. */
async function openPanel() {
  const toggle = page.getByRole('button', { name: 'Sources', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await page.getByRole('region', { name: 'Log sources panel' }).waitFor();
}

/** Lines that fit in the log area at its current size (rows are 20 px). */
const visibleLines = () => page.locator('.log-scroll').evaluate((el) => Math.floor(el.clientHeight / 20));

async function downloadAll(): Promise<string[]> {
  await openPanel();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download all' }).click()]);
  return (await readFile((await download.path())!, 'utf8')).split('\n').filter(Boolean);
}

describe('the log viewer in Chromium', () => {
  it('follows kubelet on one node; paused, the host holds lines back and the viewer says how far behind; resumed, no line is lost', async () => {
    await page.getByLabel('Tail').selectOption('100');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(buffered, { timeout: 10_000 }).toBeGreaterThan(100);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForTimeout(300);
    const atPause = await buffered();
    // The worker stops acknowledging frames, so the host coalesces what arrives and reports the count.
    await expect
      .poll(() => page.getByRole('button', { name: /Resume \([\d,]+ lines behind\)/ }).textContent(), { timeout: 10_000 })
      .toMatch(/Resume \([1-9][\d,]* lines behind\)/);
    expect(await status()).toMatch(/ · [1-9][\d,]* lines behind/);
    expect(await buffered()).toBe(atPause);
    await page.getByRole('button', { name: /Resume/ }).click();
    await expect.poll(buffered).toBeGreaterThan(atPause);
    await page.getByRole('button', { name: 'Stop' }).click();
    expect(await status()).not.toMatch(/lost while behind/);
    const lines = (await downloadAll()).map((l) => l.split('\t')[2]!);
    const server = lab().node('10.5.0.2').logs.get('kubelet')!.buffer.tail(-1).split('\n').filter(Boolean);
    const start = server.indexOf(lines[0]!);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(lines).toEqual(server.slice(start, start + lines.length));
  });

  it('merges kubelet logs of three nodes in timestamp order, with a legend', async () => {
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await openPanel();
    await page.getByLabel('Tail').selectOption('1000');
    await page.getByRole('button', { name: /Start|Restart/ }).click();
    await expect.poll(buffered, { timeout: 10_000 }).toBeGreaterThan(3000);
    const legend = await page.getByLabel('Legend').textContent();
    for (const node of ['10.5.0.2', '10.5.0.3', '10.5.0.4']) expect(legend).toContain(`${node} kubelet`);
    const lines = await downloadAll();
    const times = lines.map((l) => Date.parse(l.split('\t')[0]!));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(new Set(lines.map((l) => l.split('\t')[1]!.split(' ')[0])).size).toBe(3);
  });

  it('filters by regex and by severity', async () => {
    await page.getByLabel('Regex').check();
    await page.getByLabel('Search logs').fill('"msg":"(Kubelet version|Golang settings)"');
    await page.getByLabel('Search logs').press('Enter');
    await expect.poll(() => page.getByLabel('Match count').textContent()).toMatch(/[1-9]\d* match/);
    const allMatch = async () => {
      // Columns on: the message column is the text; the regex matched the raw JSON line.
      const texts = await page.locator('.log-row .log-text').allTextContents();
      return texts.length > 0 && texts.every((t) => /^(Kubelet version|Golang settings)$/.test(t));
    };
    await expect.poll(allMatch).toBe(true);
    await page.getByLabel('Search logs').fill('');
    await page.getByLabel('Search logs').press('Enter');
    await page.getByLabel('Severity').selectOption({ label: 'error and above' });
    const onlyErrors = async () => {
      const classes = await page.locator('.log-row').evaluateAll((rows) => rows.map((r) => r.className));
      return classes.length > 0 && classes.every((c) => /sev-(error|fatal)|log-mark/.test(c));
    };
    await expect.poll(onlyErrors).toBe(true);
    await page.getByLabel('Severity').selectOption({ label: 'all severities' });
  });

  it('shows a hostile line as text', async () => {
    lab()
      .node('10.5.0.3')
      .logs.get('kubelet')!
      .buffer.append(['<img src=x onerror=alert(1)> \x1b[31mred\x1b[0m <script>alert(2)</script>']);
    await page.getByLabel('Search logs').fill('onerror');
    await page.getByLabel('Search logs').press('Enter');
    await expect
      .poll(() => page.locator('.log-row .log-text').first().textContent(), { timeout: 10_000 })
      .toBe('<img src=x onerror=alert(1)> red <script>alert(2)</script>');
    expect(await page.locator('[role=log] img, [role=log] script').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('marks where a dropped stream reconnected', async () => {
    // A filter keeps marks in view: the lines that follow would otherwise scroll the mark off screen at once.
    await page.getByLabel('Search logs').fill('no line says this');
    await page.getByLabel('Search logs').press('Enter');
    lab().dropStreams('10.5.0.3');
    await expect
      .poll(() => page.locator('.log-row.log-mark').first().textContent(), { timeout: 10_000 })
      .toMatch(/stream reconnected after .*(no lines lost|may be missing)/);
    await page.getByLabel('Search logs').fill('');
    await page.getByLabel('Search logs').press('Enter');
  });

  it('lets the buffer size be chosen', async () => {
    await openPanel();
    await page.getByLabel('Buffer size').selectOption('100000');
    await page.getByRole('button', { name: /Start|Restart/ }).click();
    await expect.poll(buffered, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await buffered()).toBeLessThanOrEqual(100_000);
  });

  it('gives the lines the room at 1280x720: one toolbar row, the panel folded, full screen on f', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await openPanel();
    const withPanel = await visibleLines();
    await page.getByRole('button', { name: /^(Start|Restart)$/ }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sources', exact: true }).getAttribute('aria-expanded')).toBe('false');
    const toolbar = (await page.getByRole('toolbar', { name: 'Log controls' }).boundingBox())!;
    expect(toolbar.height).toBeLessThan(40);
    // Every control of the row is inside the window: nothing is cut off at 1280 px.
    const rights = await page
      .getByRole('toolbar', { name: 'Log controls' })
      .locator('button, select, input')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    expect(Math.max(...rights)).toBeLessThanOrEqual(1280);
    const folded = await visibleLines();
    // Before this layout the controls took ~380 px and 14 lines showed at 1280x720.
    expect(folded).toBeGreaterThanOrEqual(24);
    expect(folded).toBeGreaterThan(withPanel);
    await page.locator('.log-scroll').focus();
    await page.keyboard.press('f');
    await expect.poll(() => page.locator('.logs.fullscreen').count()).toBe(1);
    await expect.poll(visibleLines).toBeGreaterThanOrEqual(30);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.logs.fullscreen').count()).toBe(0);
    await expect.poll(visibleLines).toBe(folded);
  });

  it('toggles timestamps (t) and wrap (w), and keeps the controls after Pause in place when it becomes Resume', async () => {
    await page.locator('.log-scroll').focus();
    const times = () => page.locator('.log-row .log-time').count();
    await expect.poll(times).toBeGreaterThan(0);
    await page.keyboard.press('t');
    await expect.poll(times).toBe(0);
    await page.keyboard.press('t');
    await expect.poll(times).toBeGreaterThan(0);
    const wrapButton = page.getByRole('button', { name: 'Wrap', exact: true });
    await page.keyboard.press('w');
    await expect.poll(() => wrapButton.getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() =>
        page
          .locator('.log-row')
          .first()
          .evaluate((r) => getComputedStyle(r).whiteSpace),
      )
      .toBe('pre-wrap');
    await page.keyboard.press('w');
    await expect.poll(() => wrapButton.getAttribute('aria-pressed')).toBe('false');

    const search = page.getByLabel('Search logs');
    const before = (await search.boundingBox())!;
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Resume \([1-9][\d,]* lines behind\)/ }).count(), { timeout: 10_000 }).toBe(1);
    expect((await search.boundingBox())!.x).toBe(before.x);
    expect((await search.boundingBox())!.width).toBe(before.width);
    await page.getByRole('button', { name: /Resume/ }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    expect((await search.boundingBox())!.x).toBe(before.x);
  });

  it('searches as you type, clears with the box, leaves it on Escape, and shows JSON lines as level, component and message', async () => {
    const box = page.getByLabel('Search logs');
    await box.click();
    await page.keyboard.type('Kubelet version', { delay: 20 });
    // No Enter: the filter applies as the operator types.
    await expect.poll(() => page.getByLabel('Match count').textContent(), { timeout: 10_000 }).toMatch(/^[1-9][\d,]* match/);
    // The count can arrive before the view has been filtered down: wait until every row shown is a match.
    await expect
      .poll(
        async () => {
          const texts = await page.locator('.log-row').allTextContents();
          return texts.length > 0 && texts.every((t) => t.includes('Kubelet version'));
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const any = page.locator('.log-row:has(.log-component)').last();
    await expect.poll(() => any.count(), { timeout: 10_000 }).toBe(1);
    // Rows are recycled as lines stream in; follow this one line by its place in the view.
    const row = page.locator(`.log-row[data-index="${await any.getAttribute('data-index')}"]`);
    expect(await row.locator('.log-level').textContent()).toBe('info');
    expect(await row.locator('.log-component').textContent()).toBe('server.go:529');
    expect(await row.locator('.log-text').textContent()).toBe('Kubelet version');
    // The other fields fold into a button and open inline.
    const fields = row.getByRole('button', { name: /^\+\d+$/ });
    expect(await fields.getAttribute('aria-expanded')).toBe('false');
    await fields.click();
    await expect.poll(() => row.locator('.log-fields').textContent()).toContain('kubeletVersion=');
    await row.getByRole('button', { name: '−' }).click();
    await expect.poll(() => row.locator('.log-fields').count()).toBe(0);

    await box.focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).not.toBe('Search logs');
    await box.fill('');
    await expect.poll(() => page.getByLabel('Match count').textContent()).toBe('');
    await page.locator('.log-scroll').focus();
    await page.keyboard.press('c');
    await expect.poll(() => page.locator('.log-row .log-level').count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Columns' }).getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('c');
    await expect.poll(() => page.locator('.log-row .log-level').count()).toBeGreaterThan(0);
  });
});
