import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timings } from '../../lab/server/lifecycle';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
const shots = path.resolve('.tmp/screenshots/operations');

/** The screen at both sizes in both themes, for a person to look at (written under .tmp/, not compared). */
async function screenshots(name: string): Promise<void> {
  await mkdir(shots, { recursive: true });
  for (const theme of ['dark', 'light']) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: path.join(shots, `${name}-${theme}-${width}x${height}.png`) });
    }
  }
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await page.setViewportSize({ width: 1280, height: 720 });
}

const dialog = () => page.getByRole('dialog');
const operation = () => page.locator('section.operation');
const stepRow = (node: string) => page.getByRole('table', { name: 'Progress' }).locator(`tr[data-node="${node}"]`);

beforeAll(async () => {
  timings.stepMs = 40;
  timings.rebootDowntimeMs = 800;
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.useIdentity('practice admin@lab');
});
afterAll(async () => app?.stop());

describe('operations in Chromium', () => {
  it('shows the plan with the quorum guard and asks for the cluster name and the override before a control plane goes down', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Reboot…' }).click();
    // Targets are chosen in the plan: the view's selection (the control plane) only pre-fills them.
    expect(await dialog().getByLabel('Target 10.5.0.2').isChecked()).toBe(true);
    expect(await dialog().getByLabel('Target 10.5.0.3').isChecked()).toBe(false);
    await dialog().getByRole('button', { name: 'All' }).click();
    await dialog().getByRole('button', { name: 'Make the plan' }).click();
    const steps = dialog().getByRole('table', { name: 'Plan steps' });
    await steps.waitFor({ timeout: 15_000 });
    expect(await steps.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')))).toEqual([
      '10.5.0.2',
      '10.5.0.3',
      '10.5.0.4',
    ]);
    expect(await dialog().getByLabel('Quorum guard').textContent()).toContain('10.5.0.2 is the only control plane');
    expect(await dialog().getByLabel('Draining').textContent()).toContain('Nodes are not drained');
    expect(await dialog().getByLabel('Health gates').textContent()).toContain('the etcd member is healthy and the cluster has a leader');
    expect(await steps.getByTestId('talosctl-line').first().textContent()).toBe(
      "talosctl --context 'practice admin@lab' -n 10.5.0.2 reboot",
    );
    const start = dialog().getByRole('button', { name: /^Start:/ });
    expect(await start.isDisabled()).toBe(true);
    await screenshots('plan');
    await dialog().getByLabel('Cluster name').fill('lab');
    expect(await start.isDisabled()).toBe(true);
    await dialog().getByLabel('Quorum override').fill('override quorum guard');
    expect(await start.isDisabled()).toBe(false);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog().count()).toBe(0);
  });

  it('rolls two workers: plan, confirm, progress that survives leaving the screen, and a notice at the end', async () => {
    const before = ['10.5.0.3', '10.5.0.4'].map((n) => app.lab().node(n).bootId);
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Reboot…' }).click();
    await dialog().getByRole('button', { name: 'Workers' }).click();
    await dialog().getByRole('button', { name: 'Make the plan' }).click();
    await dialog().getByRole('table', { name: 'Plan steps' }).waitFor({ timeout: 15_000 });
    expect(await dialog().getByLabel('Cluster name').count()).toBe(0);
    await dialog().getByRole('button', { name: 'Start: Rolling reboot of 2 nodes' }).click();
    await operation().waitFor();
    expect(await operation().locator('h2').textContent()).toBe('Rolling reboot of 2 nodes');
    await expect.poll(() => stepRow('10.5.0.3').getAttribute('data-stage'), { timeout: 10_000 }).not.toBe('waiting');
    // What Talos reports for the step, in its own words: the reboot sequence's phases and tasks.
    await expect.poll(() => stepRow('10.5.0.3').locator('.report-cell').textContent(), { timeout: 10_000 }).toMatch(/reboot › \w+/);
    await screenshots('progress');
    // Leave the screen while the roll runs; the host keeps rolling and the view attaches again.
    await page.getByRole('tab', { name: 'Services' }).click();
    await new Promise((r) => setTimeout(r, 1500));
    await page.getByRole('tab', { name: 'Operations' }).click();
    await expect.poll(() => operation().getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    expect(await stepRow('10.5.0.3').getAttribute('data-stage')).toBe('done');
    expect(await stepRow('10.5.0.4').getAttribute('data-stage')).toBe('done');
    expect(await stepRow('10.5.0.4').locator('[data-gate="boot"]').getAttribute('data-status')).toBe('passed');
    await expect
      .poll(() => page.locator('.notices').textContent(), { timeout: 5000 })
      .toContain('Rolling reboot of 2 nodes finished: 2 node(s) done.');
    // The trail of each node: the reboot sequence until apid stopped, then the new boot read from its start.
    await stepRow('10.5.0.4')
      .getByText(/^Talos reported \d+ events$/)
      .click();
    const trail = await stepRow('10.5.0.4').getByRole('list', { name: 'What 10.5.0.4 reported' }).locator('li').allTextContents();
    expect(trail).toContain('reboot › stopEverything › stopAllServices');
    expect(trail).toContain('boot › startEverything › startAllServices');
    expect(trail.indexOf('reboot › stopEverything › stopAllServices')).toBeLessThan(trail.indexOf('sequence boot started'));
    await screenshots('done-trail');
    expect(['10.5.0.3', '10.5.0.4'].map((n) => app.lab().node(n).bootId)).not.toContain(before[0]);
  });

  it('stops at a node that does not come back, says which check failed and what the node said, and leaves the rest untouched', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Reboot…' }).click();
    await dialog().getByRole('button', { name: 'Workers' }).click();
    await dialog().getByLabel('Gate timeout in seconds').fill('10');
    await dialog().getByRole('button', { name: 'Make the plan' }).click();
    await dialog().getByRole('table', { name: 'Plan steps' }).waitFor({ timeout: 15_000 });
    const untouched = app.lab().node('10.5.0.4').bootId;
    // The first worker goes down for its reboot and never answers again (the lab's injected fault).
    app.lab().injectFault({ node: '10.5.0.3', kind: 'never-returns' });
    await dialog()
      .getByRole('button', { name: /^Start:/ })
      .click();
    await expect.poll(() => operation().getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    const reason = await page.getByLabel('Why it stopped').textContent();
    expect(reason).toMatch(
      /^Stopped at 10\.5\.0\.3 \(lab-worker-1\), step 1 of 2: the node answers again with a new boot — not answering yet: /,
    );
    expect(reason).toContain('(still after 10 s)');
    expect(await stepRow('10.5.0.3').getAttribute('data-stage')).toBe('failed');
    expect(await stepRow('10.5.0.3').locator('[data-gate="boot"]').getAttribute('data-status')).toBe('failed');
    expect(await stepRow('10.5.0.4').getAttribute('data-stage')).toBe('untouched');
    expect(app.lab().node('10.5.0.4').bootId).toBe(untouched);
    await screenshots('stopped');
    app.lab().clearFaults('10.5.0.3');
    const id = app.mode.services.operations.list()[0]!.id;
    const entries = (await app.mode.services.audit.entries()).filter((e) => e.operation === id);
    expect(entries.at(-1)!.outcomes).toEqual([
      expect.objectContaining({ node: '10.5.0.3', ok: false, message: expect.stringContaining('Stopped at 10.5.0.3') }),
      expect.objectContaining({ node: '10.5.0.4', ok: false, code: 'CANCELLED' }),
    ]);
  });
});
