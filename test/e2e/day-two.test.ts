import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';
import type { Download, Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
const shots = path.resolve('.tmp/screenshots/day-two');

/** The screen at both sizes in both themes, for a person to look at (written under .tmp/, not compared). */
export async function screenshots(name: string): Promise<void> {
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

/** Clicks a download button and returns the file the browser saved, with what the app said about it. */
async function download(button: ReturnType<Page['getByRole']>, timeout = 60_000): Promise<{ bytes: Buffer; name: string; said: string }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout }) as Promise<Download>, button.click()]);
  const saved = await file.path();
  const outcome = button.locator('xpath=..').locator('[data-download="done"]');
  await outcome.waitFor({ timeout });
  return { bytes: await readFile(saved), name: file.suggestedFilename(), said: (await outcome.textContent()) ?? '' };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.useIdentity('practice admin@lab');
});

afterAll(async () => app?.stop());

describe('day-two downloads in Chromium against the practice cluster', () => {
  it('saves an etcd snapshot whose SHA-256 matches what the node reported and etcd’s own trailer', async () => {
    await page.getByRole('tab', { name: 'etcd', exact: true }).click();
    const button = page.getByRole('button', { name: /^Snapshot from / });
    const { bytes, name, said } = await download(button);
    expect(name).toMatch(/^etcd-10\.5\.0\.2-.*\.snapshot$/);
    // The page shows the SHA-256 of what the host received from the node, and etcd's hash from the trailer.
    expect(said).toContain(`SHA-256 ${sha256(bytes)}`);
    expect((bytes.length - 32) % 512).toBe(0);
    const trailer = bytes.subarray(bytes.length - 32).toString('hex');
    expect(trailer).toBe(sha256(bytes.subarray(0, bytes.length - 32)));
    expect(said).toContain(`trailer verified: ${trailer}`);
  });

  it('captures packets into a pcap file Wireshark opens: nanosecond magic, Ethernet, at least one packet', async () => {
    await page.getByRole('tab', { name: 'Network', exact: true }).click();
    await page.getByRole('tab', { name: 'Packet capture' }).click();
    await page.getByLabel('Duration in seconds').fill('2');
    await page.getByLabel('Capture filter').fill('tcp');
    await expect.poll(() => page.getByTestId('bpf-status').textContent()).toMatch(/^Compiled \d+ BPF instructions\.$/);
    await screenshots('network-capture');
    const { bytes, name, said } = await download(page.getByRole('button', { name: /^Capture on / }));
    expect(name).toMatch(/\.pcap$/);
    expect(bytes.readUInt32LE(0)).toBe(0xa1b23c4d); // nanosecond-resolution pcap
    expect(bytes.readUInt16LE(4)).toBe(2);
    expect(bytes.readUInt16LE(6)).toBe(4);
    expect(bytes.readUInt32LE(20)).toBe(1); // LINKTYPE_ETHERNET
    let offset = 24;
    let packets = 0;
    while (offset < bytes.length) {
      const captured = bytes.readUInt32LE(offset + 8);
      const frame = bytes.subarray(offset + 16, offset + 16 + captured);
      expect(frame.length).toBe(captured);
      expect(frame.readUInt16BE(12)).toBe(0x0800); // the filter let only IPv4…
      expect(frame[14 + 9]).toBe(6); // …TCP through
      offset += 16 + captured;
      packets++;
    }
    expect(offset).toBe(bytes.length);
    expect(packets).toBeGreaterThan(0);
    expect(said).toContain(`${packets.toLocaleString('en-US')} packets`);
  });

  it('writes a support bundle with a manifest and not one of the cluster’s secrets inside', async () => {
    await page.getByRole('tab', { name: 'Overview', exact: true }).click();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const { bytes, said } = await download(page.getByRole('button', { name: /^Support bundle of 3 nodes/ }), 120_000);
    expect(said).toContain(`SHA-256 ${sha256(bytes)}`);
    const files = unzipSync(bytes);
    const names = Object.keys(files);
    expect(names).toContain('manifest.json');
    for (const node of ['10.5.0.2', '10.5.0.3', '10.5.0.4']) expect(names.some((n) => n.startsWith(`${node}/`))).toBe(true);

    // Every secret the cluster holds: the keys and tokens in each node's machine config and the CA key.
    const secrets = new Set<string>([app.lab().ca.keyPem]);
    const collect = (value: unknown, key = ''): void => {
      if (typeof value === 'string' && /(^key$|token|secret)/i.test(key) && value.length >= 16) secrets.add(value);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) collect(v, Array.isArray(value) ? key : k);
    };
    for (const node of app.lab().nodes) for (const doc of parseAllDocuments(node.config.active)) collect(doc.toJS());
    expect(secrets.size).toBeGreaterThan(4);
    const decoded = [...secrets].flatMap((s) => [s, Buffer.from(s, 'base64').toString('latin1')]).filter((s) => s.length >= 16);
    for (const [name, content] of Object.entries(files)) {
      const text = Buffer.from(name.endsWith('.gz') ? gunzipSync(content) : content).toString('latin1');
      expect(text, name).not.toMatch(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/);
      for (const secret of decoded) expect(text.includes(secret), `${name} holds a secret`).toBe(false);
    }
  });

  it('copies a folder out of a node as a .tar.gz from the Files view, with its talosctl line', async () => {
    await page.getByRole('tab', { name: 'Files', exact: true }).click();
    await page.getByRole('table', { name: 'Directory listing' }).locator('tbody tr').first().waitFor();
    await expect
      .poll(() => page.locator('.teach code', { hasText: ' copy /var/log ' }).textContent())
      .toMatch(/talosctl .* copy \/var\/log - > 10\.5\.0\.2-log\.tar\.gz/);
    await screenshots('files-copy');
    const { bytes, name, said } = await download(page.getByRole('button', { name: 'Copy /var/log (folder) as .tar.gz' }));
    expect(name).toBe('10.5.0.2-log.tar.gz');
    expect(said).toContain(`SHA-256 ${sha256(bytes)}`);
    const tar = gunzipSync(bytes);
    // ustar headers: the first entry is the folder itself, and at least one file of the listing follows.
    expect(Buffer.from(tar.subarray(257, 262)).toString()).toBe('ustar');
    const listed = await page
      .getByRole('table', { name: 'Directory listing' })
      .locator('tbody tr[data-file]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-file')));
    const text = Buffer.from(tar).toString('latin1');
    expect(listed.some((f) => f && text.includes(f))).toBe(true);
  });

  it('refuses the copy for a reader, with the reason on the button', async () => {
    await app.useIdentity('practice reader@lab');
    const button = page.getByRole('button', { name: 'Copy /var/log (folder) as .tar.gz' });
    await expect.poll(() => button.getAttribute('data-reason')).toMatch(/^Copying files needs os:admin; this identity has os:reader/);
    expect(await button.isDisabled()).toBe(true);
    await app.useIdentity('practice admin@lab');
  });

  it('plans a config patch with each node’s dry-run diff, then counts down the try window to the revert', async () => {
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('tab', { name: 'Config', exact: true }).click();
    await page.getByRole('button', { name: 'Patch…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Patch').fill('machine:\n  sysctls:\n    net.core.somaxconn: "16384"\n');
    await dialog.getByLabel('Apply mode').selectOption('try');
    await dialog.getByLabel('Try timeout in seconds').fill('12');
    await dialog.getByRole('button', { name: 'Make the plan' }).click();
    await dialog.getByRole('heading', { name: 'Patch the config (try) of 3 nodes' }).waitFor({ timeout: 30_000 });
    const dryRuns = dialog.getByTestId('dry-run-text');
    expect(await dryRuns.count()).toBe(3);
    for (const [i, node] of ['10.5.0.2', '10.5.0.3', '10.5.0.4'].entries()) {
      const text = (await dryRuns.nth(i).textContent()) ?? '';
      expect(text, node).toMatch(/^Dry run summary:\nApplied configuration without a reboot \(skipped in dry-run\)\.\nConfig diff:/);
      expect(text, node).toContain('+        net.core.somaxconn: "16384"');
      expect(await dryRuns.nth(i).locator('.diff-add').count(), node).toBe(2);
      expect(await dryRuns.nth(i).locator('.diff-del').count(), node).toBe(0);
    }
    expect(await dialog.textContent()).toContain('patch mc --patch @patch.yaml --mode try --timeout 12s');
    await dialog
      .locator('details.dry-run')
      .first()
      .evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await screenshots('patch-plan');
    expect(app.lab().node('10.5.0.3').config.active).not.toContain('16384');

    await dialog.getByRole('button', { name: /^Start: / }).click();
    const timer = page.getByRole('timer', { name: 'Try mode countdown' }).first();
    await timer.waitFor({ timeout: 30_000 });
    expect(await timer.textContent()).toMatch(
      /^Try: \d+s left — reverts to the previous config at \d\d:\d\d:\d\d unless you apply it again without try$/,
    );
    const first = Number(/(\d+)s left/.exec((await timer.textContent()) ?? '')![1]);
    await expect.poll(async () => Number(/(\d+)s left/.exec((await timer.textContent()) ?? '')?.[1] ?? -1)).toBeLessThan(first);
    expect(app.lab().node('10.5.0.3').config.active).toContain('16384');
    await screenshots('try-countdown');
    const ended = page.locator('.try-countdown[data-live="false"]').first();
    await ended.waitFor({ timeout: 30_000 });
    expect(await ended.textContent()).toMatch(/^Try ended at \d\d:\d\d:\d\d: the node went back to its previous config/);
    await expect.poll(() => app.lab().node('10.5.0.3').config.active, { timeout: 10_000 }).not.toContain('16384');
  });

  it('shows Network, Storage and Runtime tables with rows from every node (screenshots for a person to check)', async () => {
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const rows = (table: string) => page.getByRole('table', { name: table }).locator('tbody tr').count();
    // The view, its tab, the table, and the button that reads it where reading is not automatic.
    const views: [string, string, string, RegExp | null][] = [
      ['Network', 'Sockets', 'Sockets', null],
      ['Network', 'Routes', 'routes', null],
      ['Storage', 'Disks', 'Disks', null],
      ['Storage', 'Usage', 'Disk usage', /^Measure on /],
      ['Runtime', 'Container stats', 'Container stats', null],
      ['Runtime', 'Cgroups', 'cgroups', /^Read cgroups of /],
      ['Runtime', 'Images', 'Images', null],
    ];
    for (const [view, tab, table, read] of views) {
      await page.getByRole('tab', { name: view, exact: true }).click();
      await page
        .getByRole('tablist', { name: `${view} views` })
        .getByRole('tab', { name: tab, exact: true })
        .click();
      if (read) await page.getByRole('button', { name: read }).click();
      await expect.poll(() => rows(table), { timeout: 20_000, message: `${view} → ${tab}` }).toBeGreaterThan(0);
      await screenshots(`${view.toLowerCase()}-${tab.toLowerCase().replace(/ /g, '-')}`);
      if (table === 'cgroups') {
        // The cgroups tree keeps its shape: a pod's sandbox sits deeper than kubepods.
        const cell = (name: string) =>
          page
            .getByRole('table', { name: 'cgroups' })
            .locator('tbody td span.mono', { hasText: new RegExp(`^${name}$`) })
            .first();
        const left = async (name: string) =>
          await cell(name).evaluate((e) => e.getBoundingClientRect().left + parseFloat(getComputedStyle(e).paddingLeft));
        expect(await left('sandbox')).toBeGreaterThan(await left('kubepods'));
      }
    }
  }, 180_000);
});
