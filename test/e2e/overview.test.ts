import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/host/dispatch';
import { startApp, type App } from './app-fixture';

// A fleet: 3 control planes and 9 workers (10.5.0.2 to 10.5.0.13).
let app: App;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  page = app.page;
  await page.setViewportSize({ width: 1280, height: 720 });
  const started = await createDispatcher(app.mode.services)('lab.start', { nodes: 12, controlPlanes: 3 });
  expect(started.ok).toBe(true);
  await page.goto(app.mode.host.url);
  await page.getByRole('list', { name: 'Nodes' }).getByRole('checkbox').nth(11).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'All', exact: true }).click();
});

afterAll(async () => app?.stop());

const fleet = () => page.getByRole('table', { name: 'Nodes by role, worst first' });
const order = (group: string) =>
  fleet()
    .locator(`tbody[data-group="${group}"] tr[data-node-row]`)
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node-row')));

describe('the Overview of a fleet', () => {
  it('shows one dense row per node, grouped by role, with the worst on top of its group', async () => {
    app.lab().setUnreachable('10.5.0.9', true);
    app.lab().node('10.5.0.11').setServiceState('kubelet', 'Failed', 'exit status 1: kubelet crashed');
    try {
      await expect.poll(() => fleet().locator('tr[data-node-row]').count(), { timeout: 15_000 }).toBe(12);
      expect(await page.locator('section.card[data-node]').count()).toBe(0);
      expect(await order('controlplane')).toHaveLength(3);
      await expect.poll(async () => (await order('worker')).slice(0, 2), { timeout: 10_000 }).toEqual(['10.5.0.9', '10.5.0.11']);
      const down = fleet().locator('tr[data-node-row="10.5.0.9"]');
      expect(await down.getAttribute('data-health')).toBe('down');
      expect(await down.textContent()).toContain('unreachable');
      const failing = fleet().locator('tr[data-node-row="10.5.0.11"]');
      // A failed kubelet also makes the node not ready (MachineStatus), which ranks above a failing service.
      expect(await failing.getAttribute('data-health')).toBe('not-ready');
      expect(await failing.textContent()).toContain('kubelet');
      expect(await fleet().locator('tbody[data-group="worker"] .group-row').textContent()).toContain('2 need attention');
      expect(await page.getByLabel('Health summary').textContent()).toContain('1 node not answering');

      // Sorting by a column sorts within each role; the row opens the node's card beside the table.
      await fleet().getByRole('button', { name: 'Uptime' }).click();
      expect(
        await fleet()
          .getByRole('columnheader', { name: /Uptime/ })
          .getAttribute('aria-sort'),
      ).toBe('descending');
      await failing.click();
      const details = page.getByRole('complementary', { name: 'Details' });
      await expect.poll(() => details.textContent()).toContain('failing: kubelet');
      expect(await details.textContent()).toContain('SecureBoot');
      await page.keyboard.press('Escape');
      expect(await details.count()).toBe(0);
    } finally {
      app.lab().setUnreachable('10.5.0.9', false);
    }
  });

  it('shows what a node did answer when some calls fail, and gives no verdict without the data', async () => {
    // 10.5.0.12 behaves like an older Talos without ServiceList and LoadAvg: everything else still shows.
    app.lab().setMissingMethod('10.5.0.12', 'ServiceList', true);
    app.lab().setMissingMethod('10.5.0.12', 'LoadAvg', true);
    try {
      const row = fleet().locator('tr[data-node-row="10.5.0.12"]');
      await expect.poll(() => row.getAttribute('data-partial'), { timeout: 10_000 }).toBe('ServiceList LoadAvg');
      expect(await row.getAttribute('data-health')).toBe('unknown');
      const cells = await row.locator('td').allTextContents();
      expect(cells[0]).toBe('unknown'); // health: no verdict without the services
      expect(cells[2]).toMatch(/^v1\./); // Version answered
      expect(cells[7]).toBe('unknown'); // load: not received
      expect(cells[8]).toBe('unknown'); // failing services: not received, not "none"
      expect(cells[9]).toContain('Not received: ServiceList');
      expect(await page.getByLabel('Health summary').textContent()).toContain('health unknown on lab-worker-8');
      await row.click();
      const details = page.getByRole('complementary', { name: 'Details' });
      const failed = details.getByLabel('Calls that failed on 10.5.0.12');
      await expect.poll(() => failed.textContent()).toContain('LoadAvg');
      expect(await failed.textContent()).toContain('ServiceList');
      expect(await details.textContent()).toContain('SecureBoot'); // the parts that answered
      await page.keyboard.press('Escape');
    } finally {
      app.lab().setMissingMethod('10.5.0.12', 'ServiceList', false);
      app.lab().setMissingMethod('10.5.0.12', 'LoadAvg', false);
    }
    await expect.poll(() => fleet().locator('tr[data-node-row="10.5.0.12"]').getAttribute('data-health'), { timeout: 10_000 }).toBe('ok');
  });

  it('filters the fleet as you type, and the cards are one click away', async () => {
    const box = page.getByLabel('Filter nodes', { exact: true }).and(page.locator('[data-filter]'));
    await box.fill('worker-3');
    await expect.poll(() => fleet().locator('tr[data-node-row]').count()).toBe(1);
    await box.fill('');
    await expect.poll(() => fleet().locator('tr[data-node-row]').count()).toBe(12);
    await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Cards' }).click();
    await expect.poll(() => page.locator('section.card[data-node]').count(), { timeout: 8000 }).toBe(12);
    await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Table' }).click();
  });

  it('groups the sidebar by role and filters it', async () => {
    const sidebar = page.getByRole('navigation', { name: 'Identities and nodes' });
    expect(await sidebar.getByRole('list', { name: 'Control planes' }).getByRole('checkbox').count()).toBe(3);
    expect(await sidebar.getByRole('list', { name: 'Workers' }).getByRole('checkbox').count()).toBe(9);
    await sidebar.getByRole('button', { name: 'Select all control planes' }).click();
    await expect.poll(() => fleet().locator('tr[data-node-row]').count(), { timeout: 10_000 }).toBe(3);
    const filter = sidebar.getByLabel('Filter nodes');
    await filter.fill('10.5.0.1');
    await expect.poll(() => sidebar.getByRole('checkbox').count()).toBe(4); // 10.5.0.10 to .13, and no other
    await filter.press('Escape');
    await filter.fill('');
    await expect.poll(() => sidebar.getByRole('checkbox').count()).toBe(12);
  });
});
