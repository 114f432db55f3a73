import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogBuffer } from '../../lab/model/log-buffer';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;

beforeAll(async () => {
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
});

afterAll(async () => app?.stop());

const CP = '10.5.0.2';
const W = '10.5.0.3';
const view = (name: string) => page.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name, exact: true });
const logTabs = () => page.getByRole('group', { name: 'Log sessions' }).locator('button[data-log-tab]');
const status = () => page.getByLabel('Buffer status').textContent();
const count = (label: 'buffered' | 'received') => async () =>
  Number(new RegExp(`([\\d,]+) ${label}`).exec((await status()) ?? '')?.[1]?.replace(/,/g, '') ?? -1);
const buffered = count('buffered');
const received = count('received');
const legend = () => page.getByLabel('Legend').textContent();

/** Fills a node's kubelet log with `lines` short klog lines from the last hour, so a tail of everything buffers them at once. */
function preload(node: string, lines: number) {
  const source = app.lab().node(node).logs.get('kubelet')!;
  source.buffer = new LogBuffer(64 * 1024 * 1024);
  const batch: string[] = [];
  const start = Date.now() - 3_600_000;
  for (let i = 0; i < lines; i++) {
    const d = new Date(start + i * 20);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const stamp = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000`;
    batch.push(`I${stamp}    1 preload.go:1] line ${i}`);
  }
  source.buffer.append(batch);
  source.generatedUntil = Date.now();
}

describe('sessions: state that belongs to an identity, streams that outlive a screen', () => {
  it('keeps a log session with 100,000+ lines, its filter and its live stream across leaving Logs', async () => {
    preload(CP, 120_000);
    await view('Logs').click();
    await page.getByLabel('Tail').selectOption('-1');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(buffered, { timeout: 60_000 }).toBeGreaterThan(100_000);
    await page.getByLabel('Search mode').selectOption('highlight');
    await page.getByLabel('Search logs').fill('preload');
    await page.getByLabel('Search logs').press('Enter');
    await expect.poll(() => page.getByLabel('Match count').textContent()).toMatch(/[1-9]/);
    const before = await buffered();
    const receivedBefore = await received();

    await view('Services').click();
    await expect.poll(() => page.locator('tr[data-row]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await view('Logs').click();

    expect(await buffered()).toBeGreaterThanOrEqual(before);
    expect(await page.getByLabel('Search logs').inputValue()).toBe('preload');
    expect(await page.getByLabel('Search mode').inputValue()).toBe('highlight');
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    await expect.poll(received, { timeout: 10_000 }).toBeGreaterThan(receivedBefore);
    await page.getByLabel('Search logs').fill('');
    await page.getByLabel('Search logs').press('Enter');
  });

  it('runs two log sessions at once, each with its own buffer and sources', async () => {
    await page.getByRole('button', { name: 'New log session' }).click();
    await expect.poll(() => logTabs().count()).toBe(2);
    expect(await buffered()).toBe(0);
    // Both sessions at 1,000,000 lines spend the whole budget; a third could not start.
    await page.getByRole('button', { name: 'New log session' }).click();
    await expect.poll(() => page.getByText(/lines of the log budget are in use/).count()).toBeGreaterThan(0);
    expect(await logTabs().count()).toBe(2);
    await page.getByLabel('Buffer size').selectOption('100000');
    await page.getByRole('checkbox', { name: 'kubelet' }).uncheck();
    await page.getByRole('checkbox', { name: 'etcd' }).check();
    await page.getByLabel('Tail').selectOption('100');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(buffered, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await legend()).toContain(`${CP} etcd`);
    expect(await legend()).not.toContain('kubelet');
    const etcdLines = await buffered();
    expect(etcdLines).toBeLessThan(100_000);

    await logTabs().first().click();
    await expect.poll(legend).toContain(`${CP} kubelet`);
    expect(await legend()).not.toContain('etcd');
    expect(await buffered()).toBeGreaterThan(100_000);
    const first = await received();
    await expect.poll(received, { timeout: 10_000 }).toBeGreaterThan(first);
  });

  it('never shows one identity’s lines under another, and keeps them running in the background', async () => {
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('button', { name: 'New log session' }).click();
    await expect.poll(() => logTabs().count()).toBe(3);
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(legend, { timeout: 10_000 }).toContain(`${W} kubelet`);
    await expect.poll(buffered, { timeout: 10_000 }).toBeGreaterThan(0);

    await app.useIdentity('practice operator@lab');
    await expect.poll(() => page.getByLabel('Background log sessions').textContent()).toContain('3 log sessions');
    expect(await logTabs().count()).toBe(1);
    expect(await logTabs().first().textContent()).toContain('New session');
    await page.waitForTimeout(1000);
    expect(await buffered()).toBe(0);
    expect(await page.locator('.log-row').count()).toBe(0);
    expect(await legend()).not.toMatch(/kubelet|etcd/);

    await app.useIdentity('practice admin@lab');
    await expect.poll(() => logTabs().count()).toBe(3);
    expect(await buffered()).toBeGreaterThan(0);
    expect(await legend()).toContain(`${W} kubelet`);
  });

  it('drops role-gated data when the identity changes: the reader sees no admin diff', async () => {
    await view('Config').click();
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page.getByLabel('Diff summary').count(), { timeout: 10_000 }).toBe(1);

    await app.useIdentity('practice reader@lab');
    await expect.poll(() => view('Config').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByLabel('Diff summary').count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Config differences' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Compare' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Config diff').textContent()).toContain('needs os:admin');
  });

  it('gives no etcd all-clear when every node’s etcd calls fail', async () => {
    await app.useIdentity('practice admin@lab');
    for (const method of ['EtcdMemberList', 'EtcdStatus', 'EtcdAlarmList']) app.lab().setMissingMethod(CP, method, true);
    try {
      await view('etcd').click();
      await expect.poll(() => page.locator(`[data-node-error="${CP}"]`).count(), { timeout: 10_000 }).toBe(1);
      const alarms = await page.getByLabel('etcd alarms').textContent();
      expect(alarms).toContain('Alarms unknown');
      expect(alarms).not.toContain('No alarms');
      expect(await page.locator(`[data-node-error="${CP}"]`).textContent()).not.toContain('not answering');
    } finally {
      for (const method of ['EtcdMemberList', 'EtcdStatus', 'EtcdAlarmList']) app.lab().setMissingMethod(CP, method, false);
    }
  });

  it('keeps what an Overview card received when one method fails', async () => {
    app.lab().setMissingMethod(W, 'Hostname', true);
    try {
      await view('Overview').click();
      await page.getByRole('button', { name: 'All', exact: true }).click();
      const card = page.locator(`section.card[data-node="${W}"]`);
      await expect.poll(() => card.getByLabel(`Calls that failed on ${W}`).count(), { timeout: 10_000 }).toBe(1);
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('v1.13');
      expect(text).toContain('hostname unknown');
      expect(text).toMatch(/Hostname.*UNIMPLEMENTED/);
      expect(await page.getByLabel('Health summary').textContent()).not.toContain('not answering');
    } finally {
      app.lab().setMissingMethod(W, 'Hostname', false);
    }
  });
});
