import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;

beforeAll(async () => {
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole('button', { name: 'All', exact: true }).click();
});

afterAll(async () => app?.stop());

const rowCount = (table: string) => page.getByRole('table', { name: table }).locator('tbody tr').count();

describe('tables and filters an operator can read at 3 a.m.', () => {
  it('keeps the table header at the top edge of the view while the rows scroll under it', async () => {
    await page.getByRole('tab', { name: 'System' }).click();
    await expect.poll(() => rowCount('Processes'), { timeout: 10_000 }).toBeGreaterThan(20);
    await page.locator('.view').evaluate((view) => view.scrollTo(0, view.scrollHeight));
    const geometry = await page.evaluate(() => {
      const view = document.querySelector('.view')!.getBoundingClientRect();
      const header = document.querySelector('table[aria-label="Processes"] thead th')!.getBoundingClientRect();
      // What sits just below the view's top edge, and just above the header's bottom edge.
      const atTop = document.elementFromPoint(header.left + 20, view.top + 2);
      const atHeaderBottom = document.elementFromPoint(header.left + 20, header.bottom - 2);
      return {
        scrolled: document.querySelector('.view')!.scrollTop,
        viewTop: view.top,
        headerTop: header.top,
        topIsHeader: Boolean(atTop?.closest('thead')),
        bottomIsHeader: Boolean(atHeaderBottom?.closest('thead')),
      };
    });
    expect(geometry.scrolled).toBeGreaterThan(200);
    expect(Math.abs(geometry.headerTop - geometry.viewTop)).toBeLessThan(1);
    expect(geometry.topIsHeader).toBe(true);
    expect(geometry.bottomIsHeader).toBe(true);
  });

  it('filters as you type, clears with the box, and Escape leaves the box keeping the filter', async () => {
    await page.getByRole('tab', { name: 'Services' }).click();
    await expect.poll(() => rowCount('Services'), { timeout: 10_000 }).toBeGreaterThan(10);
    const all = await rowCount('Services');
    const box = page.getByLabel('Filter Services');
    await box.click();
    await page.keyboard.type('kubel', { delay: 30 });
    // No Enter: the filter applies once typing pauses.
    await expect.poll(() => rowCount('Services')).toBe(3);
    const names = await page.getByRole('table', { name: 'Services' }).locator('tbody tr td:nth-child(2)').allTextContents();
    expect(names.every((n) => n === 'kubelet')).toBe(true);
    expect(await page.getByRole('table', { name: 'Services' }).locator('xpath=..').locator('.toolbar').textContent()).toContain('3 of');

    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null)).not.toBe('Filter Services');
    expect(await box.inputValue()).toBe('kubel');
    expect(await rowCount('Services')).toBe(3);

    await box.fill('');
    await expect.poll(() => rowCount('Services')).toBe(all);

    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Filter Services');
    await page.keyboard.press('Escape');
  });

  it('shows sizes and times for people, with the exact value on hover', async () => {
    await page.getByRole('tab', { name: 'System' }).click();
    await page.getByRole('tab', { name: 'Mounts' }).click();
    const size = page.getByRole('table', { name: 'Mounts' }).locator('tbody tr').first().locator('[data-bytes]').first();
    await expect.poll(() => size.count(), { timeout: 8000 }).toBe(1);
    expect(await size.textContent()).toMatch(/^\d+(\.\d)? (B|KiB|MiB|GiB|TiB)$/);
    expect(await size.getAttribute('title')).toMatch(/^[\d,]+ bytes$/);
    expect(await page.getByRole('columnheader', { name: 'Size' }).evaluate((th) => getComputedStyle(th).textAlign)).toBe('right');
    await page.getByRole('tab', { name: 'Services' }).click();
    const changed = page.getByRole('table', { name: 'Services' }).locator('tbody time').first();
    await expect.poll(() => changed.textContent(), { timeout: 8000 }).toMatch(/^(just now|\d+[smhd] ago)$/);
    expect(await changed.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(.+ local\)$/);
  });

  it('never cuts the talosctl line: it wraps inside a dialog and keeps its copy button', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Upgrade…' }).click();
    const dialog = page.locator('[aria-modal="true"]');
    await dialog.getByRole('button', { name: 'Make the plan' }).click();
    const line = dialog.getByTestId('talosctl-line').first();
    await line.waitFor();
    const fit = await line.evaluate((code) => ({ scroll: code.scrollWidth, client: code.clientWidth, text: code.textContent }));
    expect(fit.text).toContain('upgrade --image');
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    const box = (await dialog.boundingBox())!;
    const copy = (await dialog.getByRole('button', { name: 'Copy' }).first().boundingBox())!;
    expect(copy.x + copy.width).toBeLessThanOrEqual(box.x + box.width);
    expect(copy.width).toBeGreaterThan(10);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.count()).toBe(0);
  });

  it('lists every shortcut on ?, traps the focus in that dialog, and gives each view a mnemonic', async () => {
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.locator('body').press('?');
    const list = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await list.waitFor();
    const text = (await list.textContent()) ?? '';
    for (const shortcut of ['Ctrl+K', 'Alt+↓', '/', 'Esc']) expect(text).toContain(shortcut);
    const tabs = await page.getByRole('tablist', { name: 'Views' }).getByRole('tab').allTextContents();
    const mnemonics = await list.getByRole('region', { name: 'Go to a screen' }).locator('dd').allTextContents();
    expect(mnemonics).toEqual(tabs);
    // Tab and Shift+Tab never leave the dialog.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[aria-modal="true"]')))).toBe(true);
    }
    await page.keyboard.press('Escape');
    expect(await list.count()).toBe(0);

    // g, then the view's letter, as listed for each tab.
    for (const [letter, tab] of [
      ['l', 'Logs'],
      ['a', 'Audit'],
      ['o', 'Overview'],
    ]) {
      await page.locator('body').press('g');
      await page.locator('body').press(letter!);
      await expect.poll(() => page.getByRole('tab', { name: tab }).getAttribute('aria-selected')).toBe('true');
      expect(await page.getByRole('tab', { name: tab }).getAttribute('aria-keyshortcuts')).toBe(`g ${letter}`);
    }
  });

  it('shows every view tab at 1280x720, none scrolled out of sight, in groups that wrap whole', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    const tabs = await page
      .getByRole('tablist', { name: 'Views' })
      .getByRole('tab')
      .evaluateAll((all) =>
        all.map((tab) => {
          const r = tab.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return { name: tab.textContent, shown: hit?.closest('[role="tab"]') === tab, right: r.right, group: tab.parentElement!.title };
        }),
      );
    expect(tabs.length).toBeGreaterThan(15);
    for (const tab of tabs) {
      expect(tab.shown, `${tab.name} is visible`).toBe(true);
      expect(tab.right, `${tab.name} inside the window`).toBeLessThanOrEqual(1280);
    }
    expect([...new Set(tabs.map((t) => t.group))]).toEqual(['Node', 'Cluster', 'Actions and trust']);
  });

  it('focuses the filter or search box with / on every view, Audit included', async () => {
    const tabs = await page.getByRole('tablist', { name: 'Views' }).getByRole('tab').allTextContents();
    for (const tab of tabs) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await page.locator('[data-filter]').first().waitFor({ timeout: 8000 });
      await page.locator('body').press('/');
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        return el?.hasAttribute('data-filter') ? (el.getAttribute('aria-label') ?? 'unnamed') : null;
      });
      expect(focused, `/ on ${tab}`).not.toBeNull();
      await page.keyboard.press('Escape');
    }
  });
});
