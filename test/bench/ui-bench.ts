import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { parseTalosconfig } from '../../certs/talosconfig-import';
import { startBrowserMode } from '../../electron/browser/start-browser-mode';
import { createDispatcher } from '../../electron/host/dispatch';
import { TalosClient } from '../../electron/talos/client';
import { launchChromium } from '../e2e/chromium';
import { readRaw } from './client-bench';
import { startLabProcess, type LabProcess } from './lab-handle';
import type { FigureInput } from './report';

type Heap = { heapMb: number; backingMb: number };

/** JS heap of the page and of its workers (the log store lives in a worker), through CDP, after a full GC. */
async function jsHeap(browser: Browser, page: Page): Promise<Heap> {
  const pageSession = await page.context().newCDPSession(page);
  await pageSession.send('HeapProfiler.collectGarbage');
  const main = (await pageSession.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  const browserSession: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
  let heap = main.usedSize;
  let backing = main.backingStorageSize ?? 0;
  for (const t of targetInfos.filter((t) => t.type === 'worker')) {
    const { sessionId } = (await browserSession.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as {
      sessionId: string;
    };
    const ask = (id: number, method: string) =>
      new Promise<{ usedSize?: number; backingStorageSize?: number }>((resolve) => {
        const listener = (e: { message: string }) => {
          const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number; backingStorageSize?: number } };
          if (msg.id === id) {
            browserSession.off('Target.receivedMessageFromTarget', listener);
            resolve(msg.result ?? {});
          }
        };
        browserSession.on('Target.receivedMessageFromTarget', listener);
        void browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
      });
    await ask(1, 'HeapProfiler.collectGarbage');
    const usage = await ask(2, 'Runtime.getHeapUsage');
    heap += usage.usedSize ?? 0;
    backing += usage.backingStorageSize ?? 0;
  }
  await browserSession.detach();
  return { heapMb: heap / 1e6, backingMb: backing / 1e6 };
}

// Plain JavaScript: tsx's helpers (like __name) do not exist inside the page.
const FRAME_PROBE = `(async (duration) => {
  const deltas = [];
  let last = performance.now();
  const end = last + duration;
  await new Promise((resolve) => {
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  return { frames: deltas.length, maxMs: Math.max(...deltas), over50: deltas.filter((d) => d > 50).length };
})`;

/** Frame intervals measured with requestAnimationFrame inside the page for `ms`. */
async function frames(page: Page, ms: number): Promise<{ frames: number; maxMs: number; over50: number }> {
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

const statusText = (page: Page) =>
  page
    .getByLabel('Buffer status')
    .textContent()
    .then((t) => t ?? '');
const count = (text: string, label: string) => Number(new RegExp(`([\\d,]+) ${label}`).exec(text)?.[1]?.replace(/,/g, '') ?? 0);

async function waitForStatus(page: Page, test: (status: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusText(page);
    if (test(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out; the buffer status says "${status}"`);
    await page.waitForTimeout(50);
  }
}

const LINES = 1_000_000;

/** Tail, Follow and the rest sit in the Sources panel, which folds away once a stream starts. */
async function openSources(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Sources', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

async function filterMs(page: Page, text: string, regex: boolean): Promise<{ ms: number; shown: number }> {
  const search = page.getByLabel('Search logs');
  await search.fill('');
  await search.press('Enter');
  await waitForStatus(page, (s) => count(s, 'shown') === LINES, 30_000);
  if ((await page.getByLabel('Regex').isChecked()) !== regex) await page.getByLabel('Regex').setChecked(regex);
  await waitForStatus(page, (s) => count(s, 'shown') === LINES, 30_000);
  await search.fill(text);
  await search.press('Enter');
  const status = await waitForStatus(page, (s) => count(s, 'shown') !== LINES && /filtered in \d+ ms/.test(s), 60_000);
  return { ms: Number(/filtered in (\d+) ms/.exec(status)![1]), shown: count(status, 'shown') };
}

/**
 * The log viewer end to end: 1,000,000 lines from the lab (in its own process) through the host into the
 * viewer's store, against a raw grpc-js reader of the same stream; memory and filters over them; then
 * following at half the raw reader's rate while measuring frames.
 */
export async function logViewerBench(figure: (f: FigureInput) => void): Promise<void> {
  const lab = await startLabProcess({ nodes: 1 });
  const app = await openApp(lab);
  const reader = TalosClient.open(lab.material('reader'));
  const { page, browser } = app;
  try {
    const filled = await lab.ask({ type: 'fill', node: '10.5.0.2', log: 'kubelet', lines: LINES, stepMs: 3, capacityBytes: 2 ** 30 });
    await page.getByRole('tab', { name: 'Logs' }).click();
    await openSources(page);
    await page.getByLabel('Tail').selectOption('-1');
    await page.getByLabel('Follow').uncheck();

    const rawBefore = await readRaw(reader, '10.5.0.2', 'kubelet');
    if (rawBefore.lines !== LINES) throw new Error(`the raw reader read ${rawBefore.lines} lines`);
    const started = performance.now();
    await page.getByRole('button', { name: 'Start' }).click();
    await waitForStatus(page, (s) => count(s, 'buffered') === LINES, 600_000);
    const e2eMs = performance.now() - started;
    const rawAfter = await readRaw(reader, '10.5.0.2', 'kubelet');
    const rawRate = (2 * LINES) / ((rawBefore.ms + rawAfter.ms) / 1000);
    const e2eRate = LINES / (e2eMs / 1000);
    figure({ name: 'time to stream 1,000,000 lines into the viewer', value: e2eMs / 1000, unit: 's' });
    figure({
      name: 'end to end, node -> viewer store (1,000,000 lines)',
      value: e2eRate,
      unit: 'lines/s',
      limit: { name: 'raw grpc-js reader, same stream (mean of before/after)', value: rawRate, unit: 'lines/s' },
      target: '>= 80 % of limit',
      pass: e2eRate >= 0.8 * rawRate,
    });

    const heap = await jsHeap(browser, page);
    figure({
      name: 'JS heap with 1,000,000 lines (page + worker)',
      value: heap.heapMb,
      unit: 'MB',
      limit: { name: 'UTF-8 text of the lines', value: filled.bytes / 1e6, unit: 'MB' },
      target: '<= 150 MB',
      pass: heap.heapMb <= 150,
    });
    figure({ name: 'array buffers and external strings (page + worker)', value: heap.backingMb, unit: 'MB' });

    const regex = await filterMs(page, '"msg":"(Kubelet version|ContainerStatus from runtime.*)"', true);
    figure({
      name: `regex filter over 1,000,000 lines (${regex.shown.toLocaleString('en-US')} shown)`,
      value: regex.ms,
      unit: 'ms',
      target: '<= 100 ms',
      pass: regex.ms <= 100,
    });
    const substring = await filterMs(page, 'unable to fetch pod log stats', false);
    figure({
      name: `substring filter over 1,000,000 lines (${substring.shown.toLocaleString('en-US')} shown)`,
      value: substring.ms,
      unit: 'ms',
      target: '<= 50 ms',
      pass: substring.ms <= 50,
    });
    await page.getByLabel('Search logs').fill('');
    await page.getByLabel('Search logs').press('Enter');

    await followBench(lab, page, rawRate, figure);
  } finally {
    reader.close();
    await app.stop();
    await lab.stop();
  }
}

/** Following at half the raw reader's rate for 20 s: frames, and every generated line received. */
async function followBench(lab: LabProcess, page: Page, rawRate: number, figure: (f: FigureInput) => void): Promise<void> {
  await page.getByRole('button', { name: 'Stop' }).click();
  await lab.ask({ type: 'fill', node: '10.5.0.2', log: 'kubelet', lines: 0, stepMs: 1, capacityBytes: 256 * 2 ** 20 });
  await openSources(page);
  await page.getByLabel('Follow').check();
  await page.getByRole('button', { name: /Start|Restart/ }).click();
  await waitForStatus(page, (s) => count(s, 'buffered') === 0, 30_000);
  await page.waitForTimeout(1000);
  const idle = await frames(page, 10_000);
  const received0 = count(await statusText(page), 'received');

  const rate = Math.round(rawRate / 2);
  await lab.ask({ type: 'rate', node: '10.5.0.2', log: 'kubelet', rate });
  await page.waitForTimeout(1000);
  const before = count(await statusText(page), 'received');
  const following = await frames(page, 20_000);
  const after = count(await statusText(page), 'received');
  const generated = (await lab.ask({ type: 'rate', node: '10.5.0.2', log: 'kubelet', rate: 0 })).lines;
  // Drain: wait until the viewer has everything, or nothing more arrives for 5 s.
  let last = -1;
  let since = Date.now();
  let received = 0;
  while (Date.now() - since < 5000) {
    received = count(await statusText(page), 'received') - received0;
    if (received >= generated) break;
    if (received !== last) [last, since] = [received, Date.now()];
    await page.waitForTimeout(100);
  }
  const receivedRate = (after - before) / 20;
  figure({
    name: 'follow for 20 s: lines/s reaching the viewer',
    value: receivedRate,
    unit: 'lines/s',
    limit: { name: '50 % of the raw reader (the lab writes at this rate)', value: rate, unit: 'lines/s' },
    target: '>= 95 % of limit',
    pass: receivedRate >= 0.95 * rate,
  });
  figure({
    name: `follow: lines lost (${generated.toLocaleString('en-US')} written)`,
    value: generated - received,
    unit: 'lines',
    target: '0',
    pass: generated === received,
  });
  figure({
    name: `follow: frames over 50 ms (${following.frames} frames)`,
    value: following.over50,
    unit: 'frames',
    limit: { name: 'same page idle, 10 s', value: idle.over50, unit: 'frames' },
    target: '0',
    pass: following.over50 === 0,
  });
  figure({
    name: 'follow: longest frame',
    value: following.maxMs,
    unit: 'ms',
    limit: { name: 'same page idle', value: idle.maxMs, unit: 'ms' },
    target: '<= 50 ms',
    pass: following.maxMs <= 50,
  });
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
