import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
let mode: App['mode'];

beforeAll(async () => {
  app = await startApp({ clipboard: true });
  page = app.page;
  mode = app.mode;
});

afterAll(async () => app?.stop());

const lab = () => app.lab();

async function useIdentity(name: string) {
  await app.useIdentity(name);
}

async function selectAllNodes() {
  await page.getByRole('button', { name: 'All', exact: true }).click();
}

describe('the console in Chromium through browser mode', () => {
  it('shows the first-run screen', async () => {
    await page.goto(mode.host.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to Nodeglass' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Import talosconfig' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Open practice cluster' }).isVisible()).toBe(true);
    expect(page.url()).not.toContain('token=');
  });

  it('opens the practice cluster and shows an overview of its three nodes', async () => {
    await page.getByRole('button', { name: 'Open practice cluster' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Nodes' }).getByRole('checkbox').count(), { timeout: 15_000 }).toBe(3);
    await selectAllNodes();
    await expect.poll(() => page.locator('section.card[data-node]').count(), { timeout: 10_000 }).toBe(3);
    const cp = page.locator('section.card[data-node="10.5.0.2"]');
    expect(await cp.textContent()).toContain('lab-controlplane-1');
    expect(await cp.textContent()).toContain('v1.13.9');
    expect(await cp.textContent()).toContain('controlplane');
    expect(await page.getByLabel('Health summary').textContent()).toContain('healthy');
  });

  it('jumps anywhere with the command palette, switches nodes with Alt+arrows and toggles the theme', async () => {
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('textbox').fill('etcd');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('tab', { name: 'etcd' }).getAttribute('aria-selected')).toBe('true');
    expect(await palette.count()).toBe(0);
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('list', { name: 'Nodes' }).getByText('10.5.0.2').click();
    await page.locator('body').press('Alt+ArrowDown');
    await expect.poll(() => page.getByRole('checkbox', { name: 'Select 10.5.0.3' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Select 10.5.0.2' }).isChecked()).toBe(false);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    expect(await theme()).not.toBe(before);
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await page.getByRole('button', { name: 'All', exact: true }).click();
  });

  it('lists services of all nodes and shows an unreachable node inline', async () => {
    lab().setUnreachable('10.5.0.4', true);
    try {
      await page.getByRole('tab', { name: 'Services' }).click();
      await expect.poll(() => page.locator('[data-node-error="10.5.0.4"]').count(), { timeout: 10_000 }).toBe(1);
      expect(await page.locator('[data-node-error="10.5.0.4"]').textContent()).toContain('unreachable');
      expect(await page.locator('tr[data-row="10.5.0.2/etcd"]').count()).toBe(1);
      expect(await page.locator('tr[data-row="10.5.0.3/kubelet"]').count()).toBe(1);
      expect(await page.locator('tr[data-row^="10.5.0.4/"]').count()).toBe(0);
    } finally {
      lab().setUnreachable('10.5.0.4', false);
    }
  });

  it('disables restart for a reader and for etcd, with the reasons', async () => {
    await useIdentity('practice reader@lab');
    await page.getByRole('tab', { name: 'Services' }).click();
    const restart = page.getByRole('button', { name: 'restart kubelet on 10.5.0.2' });
    await expect.poll(() => restart.isDisabled()).toBe(true);
    expect(await restart.getAttribute('data-reason')).toBe('needs os:admin or os:operator; this identity has os:reader');
    const etcd = page.getByRole('button', { name: 'restart etcd on 10.5.0.2' });
    expect(await etcd.isDisabled()).toBe(true);
    expect(await etcd.getAttribute('data-reason')).toContain('only for kubelet and extension services');
    expect(await page.getByLabel('Why actions are disabled').textContent()).toBe(
      'Service actions: needs os:admin or os:operator; this identity has os:reader.',
    );
    await page.locator('tr[data-row="10.5.0.2/etcd"] td').nth(1).click();
    expect(await page.getByRole('complementary', { name: 'Details' }).textContent()).toContain(
      'restart: Talos allows restart through the API only for kubelet and extension services (ext-*)',
    );
  });

  it('refuses a restart while the audit trail cannot be sealed (no vault yet), and sends nothing to the node', async () => {
    await useIdentity('practice operator@lab');
    await page.getByRole('tab', { name: 'Services' }).click();
    const kubelet = lab().node('10.5.0.2').services.get('kubelet')!;
    const eventsBefore = kubelet.events.length;
    await page.getByRole('button', { name: 'restart kubelet on 10.5.0.2' }).click();
    const plan = page.getByRole('dialog');
    await plan.getByRole('button', { name: 'Make the plan' }).click();
    await plan.getByRole('button', { name: 'Start: Restart kubelet on 1 node' }).click();
    await expect
      .poll(() => plan.getByRole('alert').last().textContent(), { timeout: 10_000 })
      .toContain('sealed audit trail whose key is kept in the vault');
    expect(kubelet.events.length).toBe(eventsBefore);
    await plan.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('tab', { name: 'Identities' }).click();
    await page.getByLabel('Passphrase').fill('a long test passphrase');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Status' }).textContent(), { timeout: 20_000 }).toContain('Vault: unlocked');
  });

  it('restarts kubelet as operator through a plan: confirmation, Stopping then Running, the gate, events timeline', async () => {
    await useIdentity('practice operator@lab');
    await page.getByRole('tab', { name: 'Services' }).click();
    const row = page.locator('tr[data-row="10.5.0.2/kubelet"] [data-state]');
    await expect.poll(() => row.textContent()).toBe('Running');
    await page.getByRole('button', { name: 'restart kubelet on 10.5.0.2' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Target 10.5.0.2').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Make the plan' }).click();
    expect(await dialog.getByTestId('talosctl-line').first().textContent()).toBe(
      "talosctl --context 'practice operator@lab' -n 10.5.0.2 service kubelet restart",
    );
    const kubelet = lab().node('10.5.0.2').services.get('kubelet')!;
    const before = kubelet.events.length;
    await dialog.getByRole('button', { name: 'Start: Restart kubelet on 1 node' }).click();
    const operation = page.locator('section.operation');
    await expect.poll(() => operation.getAttribute('data-state'), { timeout: 15_000 }).toBe('succeeded');
    expect(await operation.locator('[data-gate="service"]').getAttribute('data-status')).toBe('passed');
    expect(kubelet.events.slice(before).map((e) => e.state)).toEqual(expect.arrayContaining(['Stopping', 'Running']));

    await page.getByRole('tab', { name: 'Events' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Events' }).textContent(), { timeout: 10_000 }).toContain('kubelet: Stopping');
  });

  it('shows that restart in the Audit screen with its talosctl command, and exports it', async () => {
    await page.getByRole('tab', { name: 'Audit' }).click();
    const row = page.locator('tr[data-audit-seq="1"]');
    await expect
      .poll(() => row.textContent(), { timeout: 5000 })
      .toContain("talosctl --context 'practice operator@lab' -n 10.5.0.2 service kubelet restart");
    expect(await row.textContent()).toContain('/machine.MachineService/ServiceRestart');
    expect(await page.getByRole('status', { name: 'Audit verification' }).textContent()).toContain('Chain intact: 4 entries');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON lines' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^nodeglass-audit-.*\.jsonl$/);
    const text = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    expect(text).toContain('"method":"/machine.MachineService/ServiceRestart"');
    expect(text).toContain('"proof"');
  });

  it('shows the talosctl line for the view and copies it', async () => {
    await page.getByRole('tab', { name: 'Services' }).click();
    const line = page.getByTestId('talosctl-line').first();
    await expect.poll(() => line.textContent()).toContain('services');
    await page.getByRole('button', { name: 'Copy' }).first().click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await line.textContent());
  });

  it('shows processes sorted by CPU, memory in MB, the kernel log and etcd', async () => {
    await selectAllNodes();
    await page.getByRole('tab', { name: 'System' }).click();
    const processes = page.getByRole('table', { name: 'Processes' });
    await expect.poll(() => processes.locator('tbody tr').count(), { timeout: 8000 }).toBeGreaterThan(10);
    expect(await processes.getByRole('columnheader', { name: /CPU time/ }).getAttribute('aria-sort')).toBe('descending');
    await page.getByRole('tab', { name: 'Memory' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Memory' }).locator('tbody tr').count()).toBe(3);
    await page.getByRole('tab', { name: 'Kernel' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Kernel log' }).textContent(), { timeout: 8000 })
      .toContain('Linux version 6.18.44-talos');
    await page.getByLabel('Lowest priority').selectOption('err');
    const priorities = await page.getByRole('table', { name: 'Kernel log' }).locator('tbody td:nth-child(4)').allTextContents();
    expect(priorities.length).toBeGreaterThan(0);
    expect(priorities.every((p) => ['emerg', 'alert', 'crit', 'err'].includes(p))).toBe(true);
    await page.getByRole('tab', { name: 'etcd' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'etcd members' }).textContent(), { timeout: 8000 })
      .toContain('lab-controlplane-1');
    expect(await page.getByRole('table', { name: 'etcd status' }).textContent()).toMatch(/[\d.]+ (KiB|MiB|GiB) \([\d.]+%\)/);
  });

  it('imports the lab talosconfig through the UI; no key material reaches the renderer', async () => {
    await page.getByRole('tab', { name: 'Identities' }).click();
    const panel = page.getByRole('region', { name: 'Import talosconfig' });
    // The file's bytes go to the host as an import draft; the page gets the contexts and the keys masked.
    await panel
      .getByLabel('Choose a file:')
      .setInputFiles({ name: 'talosconfig', mimeType: 'text/plain', buffer: Buffer.from(lab().talosconfig) });
    await expect.poll(() => panel.getByRole('button', { name: /Import 3 context/ }).isEnabled()).toBe(true);
    await panel.getByRole('button', { name: /Import 3 context/ }).click();
    for (const name of ['admin@lab', 'operator@lab', 'reader@lab']) {
      await expect.poll(() => page.locator(`[data-identity="${name}"]`).count()).toBe(1);
      const card = await page.locator(`[data-identity="${name}"]`).textContent();
      expect(card).toContain(`os:${name.split('@')[0]}`);
      expect(card).toMatch(/Expires\d{4}-\d{2}-\d{2}/);
    }
    const html = await page.content();
    const keyBody = Buffer.from(/key: (\S+)/.exec(lab().talosconfig)![1]!, 'base64')
      .toString()
      .split('\n')[1]!;
    expect(html).not.toContain('PRIVATE KEY');
    expect(html).not.toContain(keyBody);
    const listed = await page.evaluate(async () => {
      const token = sessionStorage.getItem('nodeglass.token');
      const ws = new WebSocket(`ws://${location.host}/ws`, ['nodeglass.v1', `nodeglass.token.${token}`]);
      await new Promise((r) => (ws.onopen = r));
      const reply = new Promise<string>((r) => (ws.onmessage = (m) => r(String(m.data))));
      ws.send(JSON.stringify({ id: 1, channel: 'identities.list', request: {} }));
      return reply;
    });
    expect(listed).toContain('admin@lab');
    expect(listed).not.toContain('PRIVATE KEY');
    expect(listed).not.toContain(keyBody);
  });

  it('renames an imported identity and edits its nodes', async () => {
    const card = page.locator('[data-identity="reader@lab"]');
    await card.getByRole('button', { name: 'Edit' }).click();
    await card.getByLabel('Name').fill('trainee reader');
    await card.getByLabel('Nodes').fill('10.5.0.2, 10.5.0.3');
    await card.getByRole('button', { name: 'Save' }).click();
    const renamed = page.locator('[data-identity="trainee reader"]');
    await expect.poll(() => renamed.count()).toBe(1);
    expect(await renamed.textContent()).toContain('10.5.0.2, 10.5.0.3');
    expect(await page.getByRole('list', { name: 'Identities' }).textContent()).toContain('trainee reader');
  });
});
