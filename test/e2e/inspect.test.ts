import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/host/dispatch';
import { startApp, type App } from './app-fixture';

let app: App;
let page: Page;
let mode: App['mode'];

beforeAll(async () => {
  app = await startApp({ openPracticeCluster: true });
  page = app.page;
  mode = app.mode;
});

afterAll(async () => app?.stop());

async function useIdentity(name: string) {
  await app.useIdentity(name);
}

const viewer = () => page.getByTestId('yaml-viewer');

describe('configs, resources and files in Chromium', () => {
  it('shows a control plane config redacted, reveals it as admin, and records the reveal', async () => {
    await page.getByRole('tab', { name: 'Config' }).click();
    await expect.poll(() => viewer().textContent(), { timeout: 8000 }).toContain('[redacted]');
    expect(await viewer().textContent()).not.toContain('d8cwfa.eyvpi0xwxyarbfid');
    expect(await page.getByLabel('Config summary').textContent()).toMatch(/2 documents.*9 secret values redacted/);
    await page.getByRole('button', { name: 'Reveal secrets…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => viewer().textContent(), { timeout: 8000 }).toContain('d8cwfa.eyvpi0xwxyarbfid');
    const audit = (await mode.services.audit.entries()).at(-1)!;
    expect(audit).toMatchObject({
      method: '/cosi.resource.State/Get',
      args: { reveal: 'secrets', id: 'v1alpha1' },
      outcomes: [{ ok: true }],
    });
    expect(JSON.stringify(audit)).not.toContain('d8cwfa');
  });

  it('edits the revealed config, shows the dry-run diff and applies it staged', async () => {
    await page.getByRole('button', { name: 'Edit and apply…' }).click();
    const editor = page.getByLabel('Config to apply');
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('true');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const dry = page.getByRole('status', { name: 'Dry run result' });
    await expect.poll(() => dry.textContent(), { timeout: 8000 }).toContain('Dry run summary:');
    expect(await dry.textContent()).toContain('-debug: false');
    expect(await dry.textContent()).toContain('+debug: true');
    await page.getByLabel('Apply mode').selectOption('staged');
    await page.getByRole('button', { name: 'Apply…' }).click();
    // Applying is an operation: the plan carries the mode and shows the node's own dry run.
    const plan = page.getByRole('dialog');
    expect(await plan.getByLabel('Apply mode').inputValue()).toBe('staged');
    await plan.getByRole('button', { name: 'Make the plan' }).click();
    await expect.poll(() => plan.locator('.dry-run').textContent(), { timeout: 8000 }).toContain('+debug: true');
    expect(await plan.locator('.dry-run').textContent()).toContain('Staged configuration to be applied after the next reboot');
    await plan.getByRole('button', { name: /^Start: Apply config \(staged\) to 1 node/ }).click();
    const operation = page.locator('section.operation');
    await expect.poll(() => operation.getAttribute('data-state'), { timeout: 15_000 }).toBe('succeeded');
    const entries = await mode.services.audit.entries();
    const final = entries.at(-1)!;
    expect(final).toMatchObject({
      method: '/machine.MachineService/ApplyConfiguration',
      args: {
        action: { kind: 'apply-config', mode: 'staged', config: expect.stringMatching(/^\[config, \d+ bytes, sha256 [0-9a-f]{16}…\]$/) },
      },
    });
    const sent = entries.find((e) => e.operation === final.operation && e.step?.endsWith('apply-config sent'))!;
    expect(sent.outcomes[0]!.message).toContain('Staged configuration to be applied after the next reboot');
    await page.getByRole('tab', { name: 'Config' }).click();
  });

  it('diffs two workers (identical except per-node fields) and a worker against a control plane', async () => {
    await page.getByLabel('Left node').selectOption('10.5.0.3');
    await page.getByLabel('Right node').selectOption('10.5.0.4');
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page.getByLabel('Diff summary').textContent()).toMatch(/^identical except per-node fields/);
    await page.getByLabel('Right node').selectOption('10.5.0.2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page.getByLabel('Diff summary').textContent()).toMatch(/difference/);
    const table = await page.getByRole('table', { name: 'Config differences' }).textContent();
    expect(table).toContain('machine.type');
    expect(table).toContain('"controlplane"');
  });

  it('refuses the config to a reader, with the reason', async () => {
    await useIdentity('practice reader@lab');
    await page.getByRole('tab', { name: 'Config' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('Machine configs are a sensitive resource: reading them needs os:admin; this identity has os:reader.');
    await useIdentity('practice admin@lab');
  });

  it('browses members and svc through their aliases and watches Services while kubelet restarts', async () => {
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('tab', { name: 'Resources' }).click();
    const typeBox = page.getByLabel('Resource type or alias');
    await typeBox.fill('members');
    await typeBox.press('Enter');
    await expect.poll(() => page.locator('tr[data-resource]').count(), { timeout: 8000 }).toBe(9);
    expect(await page.getByRole('table', { name: 'Resources' }).textContent()).toContain('lab-worker-2');
    await typeBox.fill('svc');
    await typeBox.press('Enter');
    await expect.poll(() => page.locator('tr[data-resource="10.5.0.3/kubelet"]').count(), { timeout: 8000 }).toBe(1);
    const before = Number(await page.locator('tr[data-resource="10.5.0.3/kubelet"] [data-version]').textContent());
    await page.getByLabel('Watch').check();
    await page.waitForTimeout(500);
    const dispatch = createDispatcher(mode.services);
    await dispatch('talos.serviceAction', { identityId: 'practice:admin@lab', nodes: ['10.5.0.3'], service: 'kubelet', action: 'restart' });
    await expect
      .poll(() => page.locator('tr[data-resource="10.5.0.3/kubelet"]').getAttribute('data-mark'), { timeout: 8000 })
      .toBe('updated');
    await expect
      .poll(async () => Number(await page.locator('tr[data-resource="10.5.0.3/kubelet"] [data-version]').textContent()), { timeout: 8000 })
      .toBeGreaterThan(before);
    await page.locator('tr[data-resource="10.5.0.2/etcd"] td').nth(3).click();
    await expect.poll(() => viewer().textContent()).toContain('type: Services.v1alpha1.talos.dev');
  });

  it('shows a sensitive resource redacted and reveals it to an admin only after confirmation, recording the reveal', async () => {
    await page.getByLabel('Watch').uncheck();
    const typeBox = page.getByLabel('Resource type or alias');
    await typeBox.fill('osrootsecrets');
    await typeBox.press('Enter');
    const row = page.locator('tr[data-resource="10.5.0.2/os"]');
    await expect.poll(() => row.count(), { timeout: 8000 }).toBe(1);
    await row.locator('td').nth(1).click();
    const summary = page.getByRole('status', { name: 'Redaction summary' });
    await expect.poll(() => summary.textContent(), { timeout: 8000 }).toMatch(/OSRootSecret is sensitive: \d+ secret values redacted/);
    const token = /token: (\S+)/.exec(
      app.lab().node('10.5.0.2').resources.get('secrets', 'OSRootSecrets.secrets.talos.dev', 'os')!.yamlSpec,
    )![1]!;
    expect(await viewer().textContent()).toContain('[redacted]');
    expect(await page.content()).not.toContain(token);
    await summary.getByRole('button', { name: 'Reveal secrets…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.content()).not.toContain(token);
    await summary.getByRole('button', { name: 'Reveal secrets…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => viewer().textContent(), { timeout: 8000 }).toContain(token);
    const recorded = (await mode.services.audit.entries()).filter((e) => e.args.reveal === 'secrets' && e.args.id === 'os');
    expect(recorded.map((e) => e.kind)).toEqual(['intent', 'outcome']);
    expect(JSON.stringify(recorded)).not.toContain(token);
    await page.getByRole('button', { name: 'Close' }).last().click();
  });

  it('lists /var/log like ls -l, reads a file as admin, and downloads a file over the read cap whole', async () => {
    await page.getByRole('tab', { name: 'Files' }).click();
    await expect.poll(() => page.locator('tr[data-file="audit"]').count(), { timeout: 8000 }).toBe(1);
    expect(await page.locator('tr[data-file="audit"]').textContent()).toContain('drwx------');
    const size = page.locator('tr[data-file="kmsg-archive.log"] [data-bytes]');
    expect(await size.textContent()).toBe('5.0 MiB');
    expect(await size.getAttribute('title')).toBe('5,280,000 bytes');
    expect(await page.locator('tr[data-file="kmsg-archive.log"] time').getAttribute('title')).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );

    await page.locator('tr[data-file="kmsg-archive.log"]').getByRole('button').click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect.poll(() => details.textContent()).toContain('kmsg-archive.log is 5.0 MiB: over the 4.0 MiB Nodeglass shows on screen');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      details.getByRole('button', { name: 'Download kmsg-archive.log' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('kmsg-archive.log');
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved).toBe('kern:    info: archived kernel record padding line for size tests\n'.repeat(80_000));
    await expect.poll(() => details.locator('[data-download="done"]').textContent()).toContain('Downloaded 5,280,000 bytes');

    await page.locator('tr[data-file="containers"]').getByRole('button').click();
    await expect.poll(() => page.locator('[data-empty]').textContent()).toBe('/var/log/containers is empty.');
    await page.getByRole('button', { name: 'Up' }).click();
    await page.locator('tr[data-file="audit"]').getByRole('button').click();
    await expect.poll(() => page.locator('tr[data-file="audit.log"]').count()).toBe(1);
    await page.locator('tr[data-file="audit.log"]').getByRole('button').click();
    await expect.poll(() => page.getByTestId('file-text').textContent(), { timeout: 8000 }).toMatch(/type=\w+ msg=audit/);
  });

  it('reboots a node from the overview as an operator (upgrade needs admin), with the actor id recorded', async () => {
    await useIdentity('practice operator@lab');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('list', { name: 'Nodes' }).getByText('10.5.0.4').click();
    const upgrade = page.getByRole('button', { name: 'Upgrade…' });
    expect(await upgrade.isDisabled()).toBe(true);
    expect(await upgrade.getAttribute('data-reason')).toBe('needs os:admin; this identity has os:operator');
    await page.getByRole('button', { name: 'Reboot…' }).click();
    const plan = page.getByRole('dialog');
    expect(await plan.getByLabel('Target 10.5.0.4').isChecked()).toBe(true);
    await plan.getByRole('button', { name: 'Make the plan' }).click();
    await plan.getByRole('button', { name: 'Start: Rolling reboot of 1 node' }).click();
    const operation = page.locator('section.operation');
    await expect.poll(() => operation.getAttribute('data-state'), { timeout: 20_000 }).toBe('succeeded');
    const actor = /actor ([0-9a-f-]{36})/.exec((await operation.locator('tr[data-node="10.5.0.4"]').textContent())!)![1];
    const entries = await mode.services.audit.entries();
    const sent = entries.find((e) => e.step === '10.5.0.4: reboot sent' && e.outcomes[0]?.actorId === actor);
    expect(sent).toMatchObject({ method: '/machine.MachineService/Reboot', nodes: ['10.5.0.4'] });
    expect(entries.at(-1)).toMatchObject({ operation: sent!.operation, outcomes: [{ node: '10.5.0.4', ok: true, actorId: actor }] });
  });

  it('disables reading files for a reader, with the reason', async () => {
    await useIdentity('practice reader@lab');
    await page.getByRole('tab', { name: 'Files' }).click();
    await page.getByLabel('Path').fill('/etc');
    await page.getByRole('button', { name: 'List' }).click();
    const hosts = page.locator('tr[data-file="hosts"]').getByRole('button');
    await expect.poll(() => hosts.isDisabled(), { timeout: 8000 }).toBe(true);
    expect(await hosts.getAttribute('data-reason')).toBe('Reading files needs os:admin; this identity has os:reader.');
  });
});
