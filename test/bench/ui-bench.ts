import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseTalosconfig } from '../../certs/talosconfig-import';
import { startBrowserMode } from '../../electron/browser/start-browser-mode';
import { createDispatcher } from '../../electron/host/dispatch';
import { launchChromium } from '../e2e/chromium';
import { FRAME_PROBE, type Frames } from './frame-probe';
import { startLabProcess, type LabProcess } from './lab-handle';
import type { FigureInput } from './report';

/** Frame intervals measured with requestAnimationFrame inside the page for `ms`. */
async function frames(page: Page, ms: number): Promise<Frames> {
  return page.evaluate(`${FRAME_PROBE}(${ms})`);
}

interface Viewer {
  page: Page;
  browser: Browser;
  mode: Awaited<ReturnType<typeof startBrowserMode>>;
  stop(): Promise<void>;
}

/** Browser mode in this process (the privileged side), connected to the lab in its own process, and Chromium on it. */
async function openApp(lab: LabProcess): Promise<Viewer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-bench-'));
  const mode = await startBrowserMode({ staticDir: path.resolve('out/renderer'), dataDir: dir, version: 'bench', log: () => undefined });
  mode.services.identities.store.setPractice(parseTalosconfig(lab.talosconfig).contexts.flatMap((c) => (c.identity ? [c.identity] : [])));
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(mode.host.url);
  await page
    .getByRole('list', { name: 'Nodes' })
    .getByRole('checkbox')
    .nth(lab.nodes().length - 1)
    .waitFor({ timeout: 30_000 });
  return {
    page,
    browser,
    mode,
    async stop() {
      await browser.close();
      await mode.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function consoleBench(figure: (f: FigureInput) => void): Promise<void> {
  const lab = await startLabProcess({ nodes: 10 });
  const app = await openApp(lab);
  const { page, mode } = app;
  try {
    const idle = await frames(page, 5_000);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    // Above a handful of nodes the Overview is the fleet table: one row per node, once its status arrived.
    await page
      .getByRole('table', { name: 'Nodes by role, worst first' })
      .locator('tr[data-node-row][data-health]')
      .nth(9)
      .waitFor({ timeout: 30_000 });
    const overview = await frames(page, 15_000);
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.locator('tr[data-row="10.5.0.11/kubelet"]').waitFor({ timeout: 30_000 });
    const dispatch = createDispatcher(mode.services);
    const restarts = setInterval(
      () =>
        void dispatch('talos.serviceAction', {
          identityId: 'practice:admin@lab',
          nodes: ['10.5.0.2', '10.5.0.3', '10.5.0.4', '10.5.0.5', '10.5.0.6'],
          service: 'kubelet',
          action: 'restart',
        }),
      2000,
    );
    const services = await frames(page, 15_000);
    clearInterval(restarts);
    const idleLimit = { name: 'same page idle, 5 s', value: idle.maxMs, unit: 'ms' };
    figure({ name: 'overview of 10 nodes (fleet table, 3 s refresh): longest frame', value: overview.maxMs, unit: 'ms', limit: idleLimit });
    figure({ name: `overview: frames over 50 ms (${overview.frames} frames)`, value: overview.over50, unit: 'frames' });
    figure({ name: 'services of 10 nodes with live restarts: longest frame', value: services.maxMs, unit: 'ms', limit: idleLimit });
    figure({ name: `services: frames over 50 ms (${services.frames} frames)`, value: services.over50, unit: 'frames' });
  } finally {
    await app.stop();
    await lab.stop();
  }
}
