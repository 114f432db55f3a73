import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseTalosconfig } from '../../certs/talosconfig-import';
import { startBrowserMode } from '../../electron/browser/start-browser-mode';
import { TalosClient } from '../../electron/talos/client';
import { launchChromium } from '../e2e/chromium';
import { openBarePage, type BarePage } from './bare-page';
import { readRaw } from './client-bench';
import { FRAME_PROBE, type Frames } from './frame-probe';
import { startLabProcess, type LabProcess } from './lab-handle';
import { PAGE_DRIVER } from './page-driver';
import type { FigureInput } from './report';

const LINES = 1_000_000;
/** Loads of the 1,000,000 lines, and searches of each kind, whose median counts. */
const LOAD_RUNS = 3;
const SEARCH_RUNS = 5;
const NODE = '10.5.0.2';

/** The driver's calls, e.g. `ng(page, 'click', 'Start')`. */
const ng = <T = unknown>(page: BarePage, fn: string, ...args: unknown[]) =>
  page.evaluate<T>(`window.__ng.${fn}(${args.map((a) => (a instanceof RegExp ? String(a) : JSON.stringify(a))).join(', ')})`);
const statusText = (page: BarePage) => ng<string>(page, 'text', 'Buffer status');
const count = (text: string, label: string) => Number(new RegExp(`([\\d,]+) ${label}`).exec(text)?.[1]?.replace(/,/g, '') ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForStatus(page: BarePage, test: (status: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusText(page);
    if (test(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out; the buffer status says "${status}"`);
    await sleep(50);
  }
}

async function until(page: BarePage, expression: string, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`(() => { try { return Boolean(${expression}); } catch { return false; } })()`))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await sleep(everyMs);
  }
}

/** Frame times over `ms`, collected in the page and read once done (a long-awaited evaluation can be dropped under load). */
async function frames(page: BarePage, ms: number): Promise<Frames> {
  await page.evaluate(`(window.__frames = null, ${FRAME_PROBE}(${ms}).then((f) => (window.__frames = f)), true)`);
  await sleep(ms);
  await until(page, 'window.__frames', 30_000);
  return page.evaluate<Frames>('window.__frames');
}

/** Browser mode in this process (the privileged side) and the app in a bare Chromium page on it. */
async function openLogsApp(lab: LabProcess) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-bench-'));
  const mode = await startBrowserMode({ staticDir: path.resolve('out/renderer'), dataDir: dir, version: 'bench', log: () => undefined });
  mode.services.identities.store.setPractice(parseTalosconfig(lab.talosconfig).contexts.flatMap((c) => (c.identity ? [c.identity] : [])));
  const browser = await launchChromium();
  const page = await openBarePage(browser, mode.host.url, { width: 1400, height: 900 });
  await until(page, "location.href.startsWith('http') && document.readyState === 'complete'", 30_000);
  await page.evaluate(PAGE_DRIVER);
  await until(page, `window.__ng.nodes() >= ${lab.nodes().length}`, 30_000);
  return {
    page,
    async stop() {
      await page.close();
      await browser.close();
      await mode.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Types a search and presses Enter (the box applies what React has rendered, so the two are separate turns). */
async function search(page: BarePage, text: string): Promise<void> {
  await ng(page, 'type', 'Search logs', text);
  await sleep(50);
  await ng(page, 'enter', 'Search logs');
}

async function filterMs(page: BarePage, text: string, regex: boolean): Promise<{ ms: number; shown: number }> {
  await search(page, '');
  await waitForStatus(page, (s) => count(s, 'shown') === LINES, 30_000);
  await ng(page, 'check', 'Regex', regex);
  await waitForStatus(page, (s) => count(s, 'shown') === LINES, 30_000);
  await search(page, text);
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
  const app = await openLogsApp(lab);
  const reader = TalosClient.open(lab.material('reader'));
  const { page } = app;
  try {
    const filled = await lab.ask({ type: 'fill', node: NODE, log: 'kubelet', lines: LINES, stepMs: 3, capacityBytes: 2 ** 30 });
    await ng(page, 'tab', 'Logs');
    await until(page, 'document.querySelector(\'[aria-label="Buffer status"]\')', 10_000);
    await ng(page, 'expand', 'Sources');
    await ng(page, 'select', 'Tail', '-1');
    await ng(page, 'check', 'Follow', false);

    // This machine's speed drifts by a third from one minute to the next (the raw reader alone read 162,000 and
    // 237,000 lines/s in two runs two minutes apart), so the load is repeated, each time between two raw
    // reads, and the median run counts; every run is printed.
    const runs: { e2eMs: number; rawRate: number; firstMs: number }[] = [];
    for (let run = 0; run < LOAD_RUNS; run++) {
      const rawBefore = await readRaw(reader, NODE, 'kubelet');
      if (rawBefore.lines !== LINES) throw new Error(`the raw reader read ${rawBefore.lines} lines`);
      await ng(page, 'watch', 'Buffer status', `(^|\\D)${LINES.toLocaleString('en-US')} buffered`);
      const started = Date.now();
      await ng(page, 'click', /^(Start|Restart)$/);
      await until(page, 'window.__armed', 60_000);
      await until(page, 'window.__seen', 600_000, 500);
      const e2eMs = (await page.evaluate<number>('window.__seen')) - started;
      const rawAfter = await readRaw(reader, NODE, 'kubelet');
      runs.push({
        e2eMs,
        rawRate: (2 * LINES) / ((rawBefore.ms + rawAfter.ms) / 1000),
        firstMs: (rawBefore.firstMs + rawAfter.firstMs) / 2,
      });
    }
    const ratio = (r: (typeof runs)[number]) => LINES / (r.e2eMs / 1000) / r.rawRate;
    const median = [...runs].sort((a, b) => ratio(a) - ratio(b))[Math.floor(runs.length / 2)]!;
    const e2eRate = LINES / (median.e2eMs / 1000);
    figure({ name: 'time to stream 1,000,000 lines into the viewer (median run)', value: median.e2eMs / 1000, unit: 's' });
    // Both paths include it; near zero, since the lab reads a log out as the client takes it (as Talos does).
    figure({ name: "the lab's time to its first line of 1,000,000 (raw reader; in both paths)", value: median.firstMs / 1000, unit: 's' });
    figure({
      name: `end to end, node -> viewer store (1,000,000 lines; median of ${runs.length} runs: ${runs.map((r) => `${Math.round(100 * ratio(r))} %`).join(', ')})`,
      value: e2eRate,
      unit: 'lines/s',
      limit: {
        name: 'raw grpc-js reader, same stream (mean of the reads before and after that run)',
        value: median.rawRate,
        unit: 'lines/s',
      },
      target: '>= 80 % of limit',
      pass: e2eRate >= 0.8 * median.rawRate,
    });
    const rawRate = median.rawRate;

    const memory = await page.memory();
    figure({
      name: 'JS heap with 1,000,000 lines (page + worker)',
      value: memory.heapMb,
      unit: 'MB',
      limit: { name: 'UTF-8 text of the lines', value: filled.bytes / 1e6, unit: 'MB' },
      target: '<= 150 MB',
      pass: memory.heapMb <= 150,
    });
    figure({ name: 'outside the JS heap: array buffers and external strings (page + worker)', value: memory.backingMb, unit: 'MB' });

    // The first search of each kind is printed on its own: V8 compiles the search then, and it is the one an
    // operator waits for; the median of the rest is the figure.
    const searches = async (name: string, text: string, regex: boolean, limitMs: number) => {
      const times: number[] = [];
      let shown = 0;
      for (let run = 0; run < SEARCH_RUNS; run++) {
        const result = await filterMs(page, text, regex);
        times.push(result.ms);
        shown = result.shown;
      }
      const [cold, ...warm] = times;
      const middle = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)]!;
      figure({ name: `${name}: the first one`, value: cold!, unit: 'ms' });
      figure({
        name: `${name} over 1,000,000 lines (${shown.toLocaleString('en-US')} shown; median of ${warm.join(', ')} ms)`,
        value: middle,
        unit: 'ms',
        target: `<= ${limitMs} ms`,
        pass: middle <= limitMs,
      });
    };
    await searches('regex filter', '"msg":"(Kubelet version|ContainerStatus from runtime.*)"', true, 100);
    await searches('substring filter', 'unable to fetch pod log stats', false, 50);
    await search(page, '');

    await followBench(lab, page, rawRate, figure);
  } finally {
    reader.close();
    await app.stop();
    await lab.stop();
  }
}

/** Following at half the raw reader's rate for 20 s: frames, and every generated line received. */
async function followBench(lab: LabProcess, page: BarePage, rawRate: number, figure: (f: FigureInput) => void): Promise<void> {
  await ng(page, 'click', 'Stop');
  await lab.ask({ type: 'fill', node: NODE, log: 'kubelet', lines: 0, stepMs: 1, capacityBytes: 256 * 2 ** 20 });
  await ng(page, 'expand', 'Sources');
  await ng(page, 'check', 'Follow', true);
  await ng(page, 'click', /^(Start|Restart)$/);
  await waitForStatus(page, (s) => count(s, 'buffered') === 0, 30_000);
  await sleep(1000);
  const idle = await frames(page, 10_000);
  const received0 = count(await statusText(page), 'received');

  const rate = Math.round(rawRate / 2);
  await lab.ask({ type: 'rate', node: NODE, log: 'kubelet', rate });
  await sleep(1000);
  const before = count(await statusText(page), 'received');
  const labCpu0 = (await lab.ask({ type: 'cpu' })).cpuUs!;
  const hostCpu0 = process.cpuUsage();
  const following = await frames(page, 20_000);
  const after = count(await statusText(page), 'received');
  const labCores = ((await lab.ask({ type: 'cpu' })).cpuUs! - labCpu0) / 20e6;
  const hostUsage = process.cpuUsage(hostCpu0);
  const hostCores = (hostUsage.user + hostUsage.system) / 20e6;
  const generated = (await lab.ask({ type: 'rate', node: NODE, log: 'kubelet', rate: 0 })).lines;
  // Drain: wait until the viewer has everything, or nothing more arrives for 5 s.
  let last = -1;
  let since = Date.now();
  let received = 0;
  while (Date.now() - since < 5000) {
    received = count(await statusText(page), 'received') - received0;
    if (received >= generated) break;
    if (received !== last) [last, since] = [received, Date.now()];
    await sleep(100);
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
  // Where two cores go while following: the lab writing and serving, the host (this process), the browser the rest.
  figure({ name: 'follow: CPU of the lab (writing the lines and serving them), in cores', value: labCores, unit: 'cores' });
  figure({ name: 'follow: CPU of the host, in cores', value: hostCores, unit: 'cores' });
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
