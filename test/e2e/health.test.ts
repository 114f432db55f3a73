import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

/**
 * The on-call path in a real Chromium against the practice cluster: health first on the Overview, a finding with
 * its evidence and fix, jumping to the log at that moment, the timeline with filters and export, the sidebar's
 * health per node. Screenshots go to NODEGLASS_SCREENSHOTS (or a temp folder) at both sizes and themes.
 */
const SHOTS = process.env.NODEGLASS_SCREENSHOTS ?? path.join('/tmp', 'nodeglass-health-shots');
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

let app: App;
beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  app = await startApp({ openPracticeCluster: true });
  const lab = app.lab();
  lab.stage({ kind: 'crashloop', backfillMs: 600_000 });
  lab.stage('time-unsynced');
  await app.page.setViewportSize(SIZES[0]!);
});
afterAll(async () => app?.stop());

async function shoot(name: string) {
  const { page } = app;
  for (const theme of ['dark', 'light'] as const) {
    const current = await page.evaluate(() => document.documentElement.dataset.theme);
    if (current !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${theme}-${size.width}x${size.height}.png`) });
    }
  }
  await page.setViewportSize(SIZES[0]!);
}

describe('on-call: health, findings and the timeline', () => {
  it('shows the cluster verdict and the findings first on the Overview, and each node’s health in the sidebar', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const banner = page.getByRole('status', { name: 'Cluster verdict' });
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toMatch(/[23] problems on 1 node/);
    const findings = page.getByRole('list', { name: 'Findings' });
    await expect.poll(() => findings.textContent()).toContain('kubelet is crash-looping on lab-worker-1');
    expect(await findings.textContent()).toContain('Time is not synced on lab-worker-1');
    // The sidebar: lab-worker-1 fails, the others pass, each with its meaning on hover.
    const nodes = page.getByRole('list', { name: 'Nodes' });
    await expect.poll(() => nodes.getByRole('img', { name: 'health fail' }).count()).toBe(1);
    expect(await nodes.getByRole('img', { name: 'health pass' }).count()).toBe(2);
    await shoot('health-overview');
  });

  it('opens a finding with its evidence, its fix as text and talosctl, and jumps to the log at that moment', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /kubelet is crash-looping/ }).click();
    const drawer = page.getByRole('complementary', { name: 'Details' });
    await expect.poll(() => drawer.textContent()).toMatch(/\d+ restarts in \d+ min; last exit: task "kubelet" failed: exit code 1/);
    expect(await drawer.textContent()).toContain('Failed to run kubelet');
    expect(await drawer.getByTestId('fix-command').first().textContent()).toContain('logs kubelet --tail 100');
    await shoot('health-finding');
    await drawer.getByRole('button', { name: 'Logs at this moment' }).last().click();
    await expect.poll(() => page.locator('.main').textContent(), { timeout: 20_000 }).toContain('Failed to run kubelet');
  });

  it('merges the timeline, filters it by kind and node, and exports JSON lines and CSV', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const table = page.getByRole('table', { name: 'Incident timeline' });
    await expect.poll(() => table.textContent(), { timeout: 30_000 }).toContain('going to restart forever');
    expect(await table.textContent()).toContain('machine running, not ready (time');
    await page.getByLabel('Kind', { exact: true }).selectOption('service');
    await expect.poll(async () => (await table.locator('tbody tr').allTextContents()).every((r) => r.includes('service'))).toBe(true);
    await page.getByLabel('Node', { exact: true }).selectOption('10.5.0.3');
    await expect.poll(async () => (await table.locator('tbody tr').allTextContents()).every((r) => r.includes('10.5.0.3'))).toBe(true);
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON lines' }).click()]);
    const lines = (await (await import('node:fs/promises')).readFile((await jsonl.path())!, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => JSON.parse(l).kind === 'service' && JSON.parse(l).node === '10.5.0.3')).toBe(true);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const text = await (await import('node:fs/promises')).readFile((await csv.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('time,node,kind,source,severity,title,actor,actorIds,detail');
    await page.getByLabel('Kind', { exact: true }).selectOption('');
    await page.getByLabel('Node', { exact: true }).selectOption('');
    await shoot('health-timeline');
  });

  it('Services: each service’s restarts in the last hour and its last change, and every “?” explained in words', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Services' }).click();
    const table = page.getByRole('table', { name: 'Services' });
    const kubelet = table.locator('tr[data-row="10.5.0.3/kubelet"]');
    // The staged crash loop: kubelet came back to Running many times in the last hour, counted from its events.
    await expect
      .poll(async () => Number(await kubelet.locator('[data-restarts]').getAttribute('data-restarts')), { timeout: 30_000 })
      .toBeGreaterThan(3);
    expect(await kubelet.locator('[data-restarts]').getAttribute('title')).toMatch(
      /^\d+ restarts in the last hour, \d+ restarts in the event history Talos keeps/,
    );
    expect(await kubelet.locator('[data-restarts]').getAttribute('class')).toBe('warn-text');
    const quiet = table.locator('tr[data-row="10.5.0.4/apid"]');
    expect(await quiet.locator('[data-restarts]').getAttribute('data-restarts')).toBe('0');
    expect(await quiet.locator('[data-last-change]').getAttribute('title')).toMatch(/^Running since /);
    // dashboard has no health check: its "?" says so on hover, and the legend says it in text.
    const dashboard = table.locator('tr[data-row="10.5.0.4/dashboard"] [data-health]');
    expect(await dashboard.textContent()).toBe('?');
    expect(await dashboard.getAttribute('title')).toMatch(/no health result: either this service has no health check/);
    expect(await page.getByLabel('Health legend').textContent()).toMatch(
      /\? = no result — the service is not running, has no health check, or its first check has not run yet/,
    );
    await kubelet.click();
    const drawer = page.getByRole('complementary', { name: 'Details' });
    await expect
      .poll(() => drawer.getByLabel('Restarts').textContent())
      .toMatch(/^\d+ restarts in the last hour; \d+ restarts in the \d+ events Talos keeps\./);
    await shoot('services-restarts');
    await page.keyboard.press('Escape');
  });

  it('the upgrade plan names the path each node takes: ImageService/Pull, LifecycleService/Upgrade, then Reboot', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Overview' }).click();
    const dialog = page.locator('[aria-modal="true"]');
    // The theme button is behind the modal, so each theme gets its own plan.
    for (const theme of ['dark', 'light'] as const) {
      const current = await page.evaluate(() => document.documentElement.dataset.theme);
      if (current !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
      await page.getByRole('button', { name: 'Upgrade…' }).click();
      await dialog.getByRole('button', { name: 'Make the plan' }).click();
      const paths = dialog.locator('.upgrade-path');
      await expect.poll(() => paths.count(), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await paths.first().getAttribute('data-path')).toBe('current');
      expect(await paths.first().textContent()).toMatch(
        /^Current path: pull the installer \(ImageService\/Pull\), install it \(LifecycleService\/Upgrade\), then reboot — the node runs v1\.13\.9, newer than v1\.13\.0-alpha\.2\.$/,
      );
      expect(await dialog.getByTestId('talosctl-line').first().textContent()).toMatch(
        /# ImageService\/Pull, LifecycleService\/Upgrade, then Reboot$/,
      );
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.waitForTimeout(200);
        await page.screenshot({ path: path.join(SHOTS, `upgrade-plan-path-${theme}-${size.width}x${size.height}.png`) });
      }
      await page.setViewportSize(SIZES[0]!);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    }
  });
});
