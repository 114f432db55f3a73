import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TOKEN_PROTOCOL_PREFIX, WS_PROTOCOL } from '../../electron/browser/server';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
/** Everything that could carry a key out of the main process: host log lines, page console, every WebSocket frame. */
const hostLog: string[] = [];
const consoleLog: string[] = [];
const frames: string[] = [];
/** The base64 body of every private key any identity held during the run (the shift identity is gone by the end). */
const keyBodies = new Map<string, string>();

async function collectKeys(): Promise<void> {
  const store = app.mode.services.identities.store;
  for (const identity of await store.list()) {
    const material = await store.material(identity.id);
    try {
      const body = material.keyPem
        .toString('utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
      keyBodies.set(identity.fingerprint, body);
    } finally {
      material.keyPem.fill(0);
    }
  }
}

const card = (name: string) => page.getByRole('region', { name: `Identity ${name}`, exact: true });
const dialog = () => page.getByRole('alertdialog');
const header = () => page.locator('.topbar').getByLabel('Active identity', { exact: true });
const statusIdentity = () => page.getByRole('status', { name: 'Status' }).getByLabel('Active identity', { exact: true });
const sidebarIdentity = (name: string) =>
  page
    .getByRole('list', { name: 'Identities' })
    .getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) });

/** One call through the browser-mode host as the page makes it, to show what the host itself refuses. */
async function hostCall(channel: string, request: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  const ws = new WebSocket(`ws://127.0.0.1:${app.mode.host.port}/ws`, [WS_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${app.mode.host.token}`], {
    origin: app.mode.host.origin,
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    return await new Promise((resolve) => {
      ws.on('message', (data) => {
        const reply = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean; error?: { code: string; message: string } } };
        if (reply.id === 1 && reply.result) resolve(reply.result);
      });
      ws.send(JSON.stringify({ id: 1, channel, request }));
    });
  } finally {
    ws.close();
  }
}

async function openIdentities() {
  await page.getByRole('tab', { name: 'Identities' }).click();
}

beforeAll(async () => {
  app = await startApp({ log: (m) => hostLog.push(m) });
  page = app.page;
  page.on('console', (m) => consoleLog.push(m.text()));
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
  });
  await page.goto(app.mode.host.url);
  await page.getByRole('button', { name: 'Open practice cluster' }).click();
  await page.getByRole('list', { name: 'Nodes' }).getByRole('checkbox').nth(2).waitFor({ timeout: 15_000 });
  await openIdentities();
  await page.getByLabel('Passphrase').fill('least privilege e2e passphrase');
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('button', { name: 'Create vault' }).waitFor({ state: 'detached', timeout: 30_000 });
});
afterEach(collectKeys);
afterAll(async () => app?.stop());

describe('least privilege in Chromium', () => {
  it('mints a 1 h reader marked red "prod" through the practice admin; the key is never shown', async () => {
    await card('practice admin@lab').getByRole('button', { name: 'Mint…' }).click();
    const mint = dialog();
    expect(await mint.getByTestId('dialog-identity').textContent()).toContain('practice admin@lab');
    await mint.locator('label.segment', { hasText: /^1 h$/ }).click();
    await mint.getByLabel('Label').fill('prod');
    await mint.getByTitle('red', { exact: true }).click();
    expect(await mint.getByTestId('talosctl-line').textContent()).toBe(
      "talosctl --context 'practice admin@lab' config new talosconfig.yaml --roles os:reader --crt-ttl 1h",
    );
    await mint.getByRole('button', { name: 'Mint', exact: true }).click();
    await card('reader@lab').waitFor();
    expect(await card('reader@lab').textContent()).toMatch(/prod.*os:reader.*Minted.*by practice admin@lab.*for 1 h/s);
    expect(
      await card('reader@lab')
        .locator('.mark-label')
        .evaluate((e) => getComputedStyle(e).backgroundColor),
    ).toMatch(/^rgb\(2\d\d, /);
  });

  it('shows Talos’ refusal of a zero lifetime in the dialog', async () => {
    await card('practice admin@lab').getByRole('button', { name: 'Mint…' }).click();
    await dialog().locator('label.segment', { hasText: 'custom' }).click();
    await dialog().getByLabel('Custom lifetime').fill('0');
    await dialog().getByRole('button', { name: 'Mint', exact: true }).click();
    await expect
      .poll(() => dialog().getByRole('alert').textContent(), { timeout: 15_000 })
      .toBe(
        '127.0.0.1:' +
          app.mode.services.lab.current()!.port +
          ' refused the request: crt_ttl should be positive. Talos needs a certificate lifetime longer than zero; choose one.',
      );
    await dialog().getByRole('button', { name: 'Cancel' }).click();
  });

  it('offers minting only to admin identities, with the reason', async () => {
    const button = card('practice operator@lab').getByRole('button', { name: 'Mint…' });
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute('data-reason')).toBe('minting needs os:admin; practice operator@lab has os:operator');
  });

  it('marks production in the header, the status bar and every confirmation', async () => {
    await sidebarIdentity('reader@lab').click();
    await page.getByRole('list', { name: 'Nodes' }).getByRole('checkbox').nth(2).waitFor();
    expect(await header().textContent()).toContain('prod');
    expect(await page.locator('.app').getAttribute('data-mark-colour')).toBe('red');
    expect(await statusIdentity().textContent()).toMatch(/^prod reader@lab/);
    await openIdentities();
    await card('reader@lab').getByRole('button', { name: 'Remove' }).click();
    expect(await dialog().getByTestId('dialog-identity').textContent()).toBe('As reader@labprod');
    expect(await dialog().getAttribute('class')).toContain('mark-edge-red');
    expect(await dialog().evaluate((e) => getComputedStyle(e).borderTopWidth)).toBe('4px');
    expect(await dialog().evaluate((e) => getComputedStyle(e).borderTopColor)).toMatch(/^rgb\(2\d\d, /);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
  });

  it('read-only blocks every action in the UI and at the host, and turning it off is confirmed', async () => {
    await openIdentities();
    await card('practice admin@lab').getByRole('button', { name: 'Open read-only' }).click();
    await expect.poll(() => card('practice admin@lab').textContent(), { timeout: 15_000 }).toContain('read-only');
    await sidebarIdentity('practice admin@lab').click();
    await page.getByRole('tab', { name: 'Services' }).click();
    const restart = page.getByRole('button', { name: 'restart kubelet on 10.5.0.2' });
    await expect.poll(() => restart.isDisabled(), { timeout: 15_000 }).toBe(true);
    expect(await restart.getAttribute('data-reason')).toBe('practice admin@lab is open read-only; turn read-only off in Identities to act');
    await page.getByRole('tab', { name: 'Overview' }).click();
    const reboot = page.getByRole('button', { name: 'Reboot…' });
    expect(await reboot.isDisabled()).toBe(true);
    expect(await header().textContent()).toContain('read-only');

    const refused = await hostCall('talos.serviceAction', {
      identityId: 'practice:admin@lab',
      nodes: ['10.5.0.2'],
      service: 'kubelet',
      action: 'restart',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });

    await openIdentities();
    await card('practice admin@lab').getByRole('button', { name: 'Allow changes…' }).click();
    expect(await dialog().getByTestId('dialog-identity').textContent()).toContain('read-only');
    await dialog().getByRole('button', { name: 'Allow changes' }).click();
    await expect
      .poll(() => card('practice admin@lab').getByRole('button', { name: 'Open read-only' }).count(), { timeout: 15_000 })
      .toBe(1);
  });

  it('starts a shift: switches to an operator identity, acts as operator, and asks a reason for the admin', async () => {
    await card('practice admin@lab').getByRole('button', { name: 'Start shift…' }).click();
    await dialog().locator('label.segment', { hasText: /^4 h$/ }).click();
    await dialog().getByRole('button', { name: 'Start 4 h shift' }).click();
    await expect.poll(() => page.getByLabel('On-call shift').textContent(), { timeout: 10_000 }).toMatch(/^On shift until \d/);
    expect(await statusIdentity().textContent()).toContain('shift operator@lab');
    expect(await sidebarIdentity('practice admin@lab').getAttribute('data-locked')).toBe('true');
    await collectKeys();

    await page.getByRole('tab', { name: 'Services' }).click();
    await page.getByRole('list', { name: 'Nodes' }).getByRole('checkbox').nth(2).waitFor();
    const row = page.locator('tr[data-row="10.5.0.2/kubelet"] [data-state]');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toBe('Running');
    await page.getByRole('button', { name: 'restart kubelet on 10.5.0.2' }).click();
    // Service actions go through an operation plan, which names the identity that will act.
    const plan = page.getByRole('dialog', { name: 'Plan an operation' });
    expect(await plan.getByTestId('dialog-identity').textContent()).toContain('shift operator@lab');
    await plan.getByRole('button', { name: 'Make the plan' }).click();
    await page.getByRole('table', { name: 'Plan steps' }).waitFor({ timeout: 15_000 });
    await page
      .locator('[aria-modal="true"]')
      .getByRole('button', { name: /^Start:/ })
      .click();
    await expect.poll(() => page.locator('section.operation').getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');

    const locked = await hostCall('talos.version', { identityId: 'practice:admin@lab', nodes: ['10.5.0.2'] });
    expect(locked).toMatchObject({ ok: false, error: { code: 'IDENTITY_LOCKED' } });

    await sidebarIdentity('practice admin@lab').click();
    const unlock = page.getByRole('alertdialog', { name: 'Use practice admin@lab during the shift?' });
    expect(await unlock.getByRole('button', { name: 'Unlock practice admin@lab' }).isDisabled()).toBe(true);
    await unlock.getByLabel('Reason').fill('rotating the etcd encryption key');
    await unlock.getByRole('button', { name: 'Unlock practice admin@lab' }).click();
    await expect.poll(() => statusIdentity().textContent(), { timeout: 15_000 }).toContain('practice admin@lab');

    await page.getByRole('tab', { name: 'Audit' }).click();
    await expect.poll(() => page.locator('table').first().textContent(), { timeout: 15_000 }).toContain('nodeglass/UnlockIdentity');
    await page.locator('tr', { hasText: 'nodeglass/UnlockIdentity' }).getByRole('button').first().click();
    expect(await page.locator('tr.expanded').textContent()).toContain('"reason":"rotating the etcd encryption key"');

    await page.getByLabel('On-call shift').getByRole('button', { name: 'End shift' }).click();
    await expect.poll(() => page.getByLabel('On-call shift').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => sidebarIdentity('shift operator@lab').count(), { timeout: 15_000 }).toBe(0);
  });

  it('renews an identity near expiry, only after the new certificate connects', async () => {
    await openIdentities();
    await card('practice admin@lab').getByRole('button', { name: 'Mint…' }).click();
    await dialog().locator('label.segment', { hasText: 'custom' }).click();
    await dialog().getByLabel('Custom lifetime').fill('3');
    await dialog().getByLabel('Lifetime unit').selectOption('minutes');
    await dialog().getByLabel('Name').fill('short reader');
    await dialog().getByRole('button', { name: 'Mint', exact: true }).click();
    const short = card('short reader');
    await short.waitFor();
    await collectKeys();
    expect(await short.locator('[data-expiry]').textContent()).toMatch(/expires in [23] min/);
    const before = await short.locator('dd.mono').textContent();
    await short.getByRole('button', { name: 'Renew…' }).click();
    expect(await dialog().textContent()).toContain('Mints os:reader again for 3 min');
    await dialog().getByRole('button', { name: 'Renew', exact: true }).click();
    await expect.poll(() => short.locator('dd.mono').textContent(), { timeout: 10_000 }).not.toBe(before);
    expect(await short.textContent()).toContain('short reader');
  });
});

describe('handing over an identity', () => {
  it('exports an encrypted bundle and imports it in a fresh profile, where it connects with its marks', async () => {
    await openIdentities();
    await card('reader@lab').getByRole('button', { name: 'Export…' }).click();
    const exportDialog = dialog();
    expect(await exportDialog.getByTestId('dialog-identity').textContent()).toContain('prod');
    await exportDialog.getByLabel('Bundle passphrase').fill('handover passphrase 42');
    expect(await exportDialog.getByRole('button', { name: 'Export encrypted bundle' }).isDisabled()).toBe(true);
    await exportDialog.getByLabel('Repeat the passphrase').fill('handover passphrase 42');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportDialog.getByRole('button', { name: 'Export encrypted bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('reader-lab.nodeglass-bundle');
    const bundlePath = (await download.path())!;
    const bundle = await readFile(bundlePath, 'utf8');
    expect(bundle).toContain('"format": "nodeglass-identity-bundle"');
    expect(bundle).not.toMatch(/PRIVATE KEY|handover passphrase/);

    const freshLog: string[] = [];
    const fresh = await startApp({ log: (m) => freshLog.push(m) });
    try {
      const other = fresh.page;
      const otherFrames: string[] = [];
      other.on('websocket', (ws) => {
        ws.on('framesent', (f) => otherFrames.push(String(f.payload)));
        ws.on('framereceived', (f) => otherFrames.push(String(f.payload)));
      });
      await other.goto(fresh.mode.host.url);
      await other.getByRole('button', { name: 'Import talosconfig' }).click();
      await other.getByLabel('Passphrase').fill('the other profile passphrase');
      await other.getByRole('button', { name: 'Create vault' }).click();
      await other.getByRole('button', { name: 'Create vault' }).waitFor({ state: 'detached', timeout: 30_000 });
      const panel = other.getByRole('region', { name: 'Import a Nodeglass bundle' });
      await panel.getByLabel('Bundle file').setInputFiles(bundlePath);
      await panel.getByLabel('Bundle passphrase').fill('wrong passphrase');
      await panel.getByRole('button', { name: /^Import/ }).click();
      await expect.poll(() => panel.getByRole('alert').textContent(), { timeout: 30_000 }).toContain('does not open this bundle');
      await panel.getByLabel('Bundle passphrase').fill('handover passphrase 42');
      await panel.getByRole('button', { name: /^Import/ }).click();
      const imported = other.getByRole('region', { name: 'Identity reader@lab', exact: true });
      await imported.waitFor({ timeout: 30_000 });
      expect(await imported.textContent()).toMatch(/prod.*Minted.*by practice admin@lab/s);
      await other
        .getByRole('list', { name: 'Identities' })
        .getByRole('button', { name: /^reader@lab/ })
        .click();
      await other.getByRole('list', { name: 'Nodes' }).getByRole('checkbox').nth(2).waitFor({ timeout: 15_000 });
      expect(await other.locator('.app').getAttribute('data-mark-colour')).toBe('red');
      // The imported key went from the bundle into the fresh vault without passing through that profile's renderer either.
      await collectKeys();
      const seen = [
        otherFrames.join('\n'),
        await other.content(),
        await other.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage })),
        freshLog.join('\n'),
      ].join('\n');
      expect(seen).not.toMatch(/PRIVATE KEY/);
      for (const body of keyBodies.values()) expect(seen).not.toContain(body.slice(0, 32));
    } finally {
      await fresh.stop();
    }
  });
  it('exports a standard talosconfig only after the clear-key warning is acknowledged, as a browser download', async () => {
    await openIdentities();
    await card('reader@lab').getByRole('button', { name: 'Export…' }).click();
    await dialog()
      .getByLabel(/Standard talosconfig/)
      .check();
    expect(await dialog().textContent()).toContain('private key unencrypted');
    // No path to type: the desktop opens its own save dialog, browser mode hands the file to the browser.
    expect(await dialog().getByRole('textbox').count()).toBe(0);
    const confirm = dialog().getByRole('button', { name: 'Export with the key in clear' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog().getByLabel('I understand the key will be stored in clear').check();
    const [download] = await Promise.all([page.waitForEvent('download'), confirm.click()]);
    await dialog().waitFor({ state: 'detached' });
    expect(download.suggestedFilename()).toBe('talosconfig-reader-lab');
    const written = await readFile((await download.path())!, 'utf8');
    expect(written).toMatch(/^context: reader@lab$/m);
    expect(written).toContain('endpoints:');
    expect(written).toMatch(/^ {8}key: LS0t/m);
  });
});

describe('no private key outside the main process', () => {
  it('is in no WebSocket frame, the DOM, web storage, a log line or the audit trail', async () => {
    await collectKeys();
    // The three practice identities, the prod reader, the shift operator and the renewed reader (old and new key).
    expect(keyBodies.size).toBeGreaterThanOrEqual(7);
    const bodies = [...keyBodies.values()].flatMap((body) => [body, body.slice(0, 32), body.slice(-32)]);
    const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    const places = {
      frames: frames.join('\n'),
      dom: await page.content(),
      storage,
      hostLog: hostLog.join('\n'),
      console: consoleLog.join('\n'),
      audit: await readFile(path.join(app.dataDir, 'audit', 'audit.jsonl'), 'utf8'),
    };
    expect(places.frames.length).toBeGreaterThan(10_000);
    expect(places.audit).toContain('GenerateClientConfiguration');
    for (const [where, text] of Object.entries(places)) {
      expect(text, where).not.toMatch(/PRIVATE KEY/);
      for (const body of bodies) expect(text.includes(body), `${where} holds a private key`).toBe(false);
    }
  });
});
