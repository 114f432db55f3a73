import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { startBrowserMode } from '../../electron/browser/start-browser-mode';
import { createDispatcher } from '../../electron/host/dispatch';
import { LogBuffer } from '../../lab/model/log-buffer';
import { launchChromium } from '../e2e/chromium';

type Mode = Awaited<ReturnType<typeof startBrowserMode>>;

/** JS heap of the page and of its workers (the log store lives in a worker), through CDP. */
async function jsHeapMb(browser: Browser, page: Page): Promise<{ page: number; workers: number }> {
  const pageSession = await page.context().newCDPSession(page);
  await pageSession.send('HeapProfiler.collectGarbage');
  const main = (await pageSession.send('Runtime.getHeapUsage')) as { usedSize: number };
  const browserSession: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
  let workers = 0;
  for (const t of targetInfos.filter((t) => t.type === 'worker')) {
    const { sessionId } = (await browserSession.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as {
      sessionId: string;
    };
    const ask = (id: number, method: string) =>
      new Promise<{ usedSize?: number }>((resolve) => {
        const listener = (e: { message: string }) => {
          const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
          if (msg.id === id) {
            browserSession.off('Target.receivedMessageFromTarget', listener);
            resolve(msg.result ?? {});
          }
        };
        browserSession.on('Target.receivedMessageFromTarget', listener);
        void browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
      });
    await ask(1, 'HeapProfiler.collectGarbage');
    workers += (await ask(2, 'Runtime.getHeapUsage')).usedSize ?? 0;
  }
  await browserSession.detach();
  return { page: main.usedSize / 1e6, workers: workers / 1e6 };
}

/** Frame intervals measured with requestAnimationFrame inside the page for `ms`. */
// Plain JavaScript: tsx's helpers (like __name) do not exist inside the page.
const FRAME_PROBE = `(async (duration) => {
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
  observer.observe({ entryTypes: ['longtask'] });
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
  observer.disconnect();
  return { frames: deltas.length, maxMs: Math.max(...deltas), over50: deltas.filter((d) => d > 50).length, longTasks };
})`;

/** Frame intervals measured with requestAnimationFrame inside the page for `ms`. */
async function frames(page: Page, ms: number): Promise<{ frames: number; maxMs: number; over50: number; longTasks: number }> {
  return page.evaluate(`${FRAME_PROBE}(${ms})`);
}

async function openApp(mode: Mode, browser: Browser, nodes: number): Promise<Page> {
  await createDispatcher(mode.services.handlers)('lab.start', { nodes });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(mode.host.url);
  await page
    .getByRole('list', { name: 'Nodes' })
    .getByRole('checkbox')
    .nth(nodes - 1)
    .waitFor({ timeout: 20_000 });
  return page;
}

export async function logViewerBench(): Promise<Record<string, number | string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-bench-'));
  const mode = await startBrowserMode({ staticDir: path.resolve('out/renderer'), dataDir: dir, version: 'bench', log: () => undefined });
  const browser = await launchChromium();
  try {
    const page = await openApp(mode, browser, 1);
    const lab = mode.services.lab.current()!;
    const node = lab.node('10.5.0.2');
    lab.setLogRate(0);
    const source = node.logs.get('kubelet')!;
    source.buffer = new LogBuffer(1024 * 1024 * 1024);
    const lines: string[] = [];
    let ts = Date.now() - 3_600_000;
    for (let i = 0; i < 1_000_000; i++) lines.push(source.make((ts += 3), node.rng));
    source.buffer.append(lines);
    lines.length = 0;
    source.generatedUntil = Date.now();

    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByLabel('Tail').selectOption('-1');
    await page.getByLabel('Follow').uncheck();
    const started = Date.now();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForFunction(
      () => /1,000,000 buffered/.test(document.querySelector('[aria-label="Buffer status"]')?.textContent ?? ''),
      null,
      { timeout: 600_000, polling: 500 },
    );
    const ingestS = (Date.now() - started) / 1000;
    const heap = await jsHeapMb(browser, page);

    await page.getByLabel('Regex').check();
    await page.getByLabel('Search logs').fill('"msg":"(Kubelet version|Error getting the current node.*)"');
    await page.getByLabel('Search logs').press('Enter');
    await page.waitForFunction(
      () =>
        /^\d[\d,]* shown/.test(document.querySelector('[aria-label="Buffer status"]')?.textContent ?? '') &&
        !/^1,000,000 shown/.test(document.querySelector('[aria-label="Buffer status"]')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    const filterMs = Number(/filtered in (\d+) ms/.exec((await page.getByLabel('Buffer status').textContent()) ?? '')![1]);
    const shown = /([\d,]+) shown/.exec((await page.getByLabel('Buffer status').textContent()) ?? '')![1];
    await page.getByLabel('Search logs').fill('');
    await page.getByLabel('Search logs').press('Enter');

    // Follow 50,000 lines/s for 20 s while measuring frames.
    await page.getByRole('button', { name: 'Stop' }).click();
    source.buffer = new LogBuffer(64 * 1024 * 1024);
    source.generatedUntil = Date.now();
    lab.setLogRate(50_000, '10.5.0.2', 'kubelet');
    await page.getByLabel('Tail').selectOption('0');
    await page.getByLabel('Follow').check();
    await page.getByRole('button', { name: /Start|Restart/ }).click();
    const received = async () =>
      Number(/([\d,]+) received/.exec((await page.getByLabel('Buffer status').textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);
    await page.waitForTimeout(1000);
    const before = await received();
    const f = await frames(page, 20_000);
    const after = await received();
    lab.setLogRate(0);
    return {
      '1,000,000 lines: time to stream into the viewer (s)': +ingestS.toFixed(1),
      '1,000,000 lines: JS heap, page (MB)': +heap.page.toFixed(1),
      '1,000,000 lines: JS heap, log worker (MB)': +heap.workers.toFixed(1),
      '1,000,000 lines: JS heap total (target <= 300 MB)': +(heap.page + heap.workers).toFixed(1),
      'regex filter over 1,000,000 lines (ms, target <= 150)': filterMs,
      'regex filter: lines shown': shown ?? '',
      'follow at 50,000 lines/s: lines received in 20 s': after - before,
      'follow: received lines/s': Math.round((after - before) / 20),
      'follow: frames in 20 s': f.frames,
      'follow: longest frame (ms, target <= 50)': +f.maxMs.toFixed(1),
      'follow: frames over 50 ms': f.over50,
      'follow: long tasks (> 50 ms)': f.longTasks,
    };
  } finally {
    await browser.close();
    await mode.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function consoleBench(): Promise<Record<string, number | string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-bench-'));
  const mode = await startBrowserMode({ staticDir: path.resolve('out/renderer'), dataDir: dir, version: 'bench', log: () => undefined });
  const browser = await launchChromium();
  try {
    const page = await openApp(mode, browser, 10);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.locator('section.card[data-node]').nth(9).waitFor({ timeout: 20_000 });
    const overview = await frames(page, 15_000);
    await page.getByRole('tab', { name: 'Services' }).click();
    await page.locator('tr[data-row="10.5.0.11/kubelet"]').waitFor({ timeout: 20_000 });
    const dispatch = createDispatcher(mode.services.handlers);
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
    return {
      'overview of 10 nodes (3 s refresh), 15 s: frames': overview.frames,
      'overview: longest frame (ms)': +overview.maxMs.toFixed(1),
      'overview: frames over 50 ms': overview.over50,
      'services of 10 nodes with live restarts, 15 s: frames': services.frames,
      'services: longest frame (ms)': +services.maxMs.toFixed(1),
      'services: frames over 50 ms': services.over50,
    };
  } finally {
    await browser.close();
    await mode.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
