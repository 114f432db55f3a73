import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './app-fixture';

/**
 * A trainee practises a diagnosis without a terminal: the practice cluster started from the Practice scenarios
 * dialog (command palette), three scenarios staged from it (one on a picked node), the findings they cause on the Overview with their
 * evidence and fix, then Heal all from the status bar's practice cluster menu. Screenshots of the dialog go to
 * NODEGLASS_SCREENSHOTS (or a temp folder) at both sizes and themes.
 */
const SHOTS = process.env.NODEGLASS_SCREENSHOTS ?? path.join('/tmp', 'nodeglass-practice-shots');
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

let app: App;
let axeSource: string;
beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await mkdir(SHOTS, { recursive: true });
  app = await startApp();
  // Actions are refused until the audit trail can be sealed, and its key lives in the vault.
  await app.mode.services.handlers['vault.setup']({ passphrase: 'e2e test passphrase' });
  await app.page.setViewportSize(SIZES[0]!);
  await app.page.goto(app.mode.host.url);
  await app.page.getByRole('button', { name: 'Open practice cluster' }).waitFor();
});
afterAll(async () => app?.stop());

const dialog = () => app.page.getByRole('dialog', { name: 'Practice scenarios' });
const scenario = (title: string) => dialog().getByRole('group', { name: title });
const staged = () => dialog().getByRole('list', { name: 'Staged scenarios' });
const stagedRegion = () => dialog().getByRole('region', { name: /^Staged now/ });

/** Serious or critical axe-core violations inside the dialog (axe is evaluated through DevTools, past the app's CSP). */
async function axeViolations(): Promise<string[]> {
  const { page } = app;
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Element, o: object): Promise<{ violations: { id: string; impact: string | null }[] }> } }
    ).axe;
    const result = await axe.run(document.querySelector('[aria-label="Practice scenarios"]')!, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}

async function shoot(name: string) {
  const { page } = app;
  // The start notice fades after a few seconds; it is not part of the dialog's look.
  for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
  for (const theme of ['dark', 'light'] as const) {
    // The theme button sits behind the modal; the document's theme attribute is what the button sets.
    await page.evaluate((t) => {
      localStorage.setItem('nodeglass.theme', t);
      document.documentElement.dataset.theme = t;
    }, theme);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${theme}-${size.width}x${size.height}.png`) });
      // Nothing of the dialog spills out of the window or sideways.
      const box = await dialog().boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
      const close = await dialog().getByRole('button', { name: 'Close' }).boundingBox();
      expect(close!.y + close!.height).toBeLessThanOrEqual(box!.y + box!.height);
      expect(await dialog().evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
    }
    expect(await axeViolations()).toEqual([]);
  }
  await page.setViewportSize(SIZES[0]!);
}

describe('practice scenarios from the app', () => {
  it('offers the scenarios from the command palette and starts the practice cluster from there', async () => {
    const { page } = app;
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Command palette' }).getByRole('textbox').fill('practice scenarios');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog().textContent()).toContain('The practice cluster is not running');
    await shoot('practice-stopped');
    await dialog().getByRole('button', { name: 'Start the practice cluster' }).click();
    await scenario('Crash-looping service').waitFor({ timeout: 45_000 });
    expect(await dialog().getByRole('group').count()).toBe(7);
    expect(await scenario('etcd out of space').textContent()).toContain('raises the NOSPACE alarm');
    // The node picker starts on the scenario's default node and offers only nodes it can be staged on.
    expect(await scenario('etcd out of space').getByLabel('Node', { exact: true }).textContent()).not.toContain('lab-worker-1');
    expect(await scenario('Crash-looping service').getByLabel('Node', { exact: true }).inputValue()).toBe('');
    expect(await scenario('Crash-looping service').getByLabel('Node', { exact: true }).locator('option:checked').textContent()).toBe(
      'Default: lab-worker-1 (10.5.0.3)',
    );
    expect(await scenario('Crash-looping service').getByLabel('Service', { exact: true }).inputValue()).toBe('kubelet');
    expect(await stagedRegion().textContent()).toContain('Nothing staged');
  });

  it('stages crashloop, etcd-nospace and disk-full on a picked node, lists each with what to look for, and shows the dialog finished in both themes', async () => {
    await scenario('Crash-looping service').getByRole('button', { name: 'Stage' }).click();
    await expect.poll(() => staged().getByRole('listitem').count()).toBe(1);
    await scenario('etcd out of space').getByRole('button', { name: 'Stage' }).click();
    await expect.poll(() => staged().getByRole('listitem').count()).toBe(2);
    // The node picker: disk-full on the second worker instead of its default.
    await scenario('Disk full').getByLabel('Node', { exact: true }).selectOption({ label: 'lab-worker-2 (10.5.0.4)' });
    await scenario('Disk full').getByRole('button', { name: 'Stage' }).click();
    await expect.poll(() => staged().getByRole('listitem').count()).toBe(3);
    const [crash, etcd, disk] = await staged().getByRole('listitem').all();
    expect(await disk!.textContent()).toContain('/var (EPHEMERAL) is 98.6 % full');
    expect(await crash!.textContent()).toContain('kubelet exits with code 1 every 15 s and Talos restarts it forever');
    expect(await crash!.textContent()).toContain('lab-worker-1');
    expect((await crash!.getByTestId('evidence-command').allTextContents()).map((l) => l.trim())).toEqual([
      'talosctl -n 10.5.0.3 service kubelet',
      'talosctl -n 10.5.0.3 events',
      'talosctl -n 10.5.0.3 logs kubelet',
      'talosctl -n 10.5.0.3 get machinestatus',
    ]);
    expect((await etcd!.getByTestId('evidence-command').first().textContent())?.trim()).toBe('talosctl -n 10.5.0.2 etcd alarm list');
    expect(
      app
        .lab()
        .scenarios()
        .map((s) => `${s.kind}@${s.node.hostname}`),
    ).toEqual(['crashloop@lab-worker-1', 'etcd-nospace@lab-controlplane-1', 'disk-full@lab-worker-2']);
    // The same scenario twice on the same node is refused, and the dialog says why.
    await scenario('Crash-looping service').getByRole('button', { name: 'Stage' }).click();
    await expect.poll(() => dialog().getByRole('alert').textContent()).toContain('is already staged on lab-worker-1');
    expect(app.lab().scenarios()).toHaveLength(3);
    await shoot('practice-scenarios');
  });

  it('shows the findings the scenarios cause on the Overview, with their evidence and suggested fix', async () => {
    const { page } = app;
    await dialog().getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const findings = page.getByRole('list', { name: 'Findings' });
    await expect.poll(() => findings.textContent(), { timeout: 30_000 }).toContain('kubelet is crash-looping on lab-worker-1');
    await expect.poll(() => findings.textContent(), { timeout: 30_000 }).toContain('etcd NOSPACE alarm');
    await expect.poll(() => findings.textContent(), { timeout: 30_000 }).toContain('/var is 98.6 % full on lab-worker-2');

    await page.getByRole('button', { name: /kubelet is crash-looping/ }).click();
    const drawer = page.getByRole('complementary', { name: 'Details' });
    await expect.poll(() => drawer.textContent()).toMatch(/\d+ restarts in \d+ min; last exit: task "kubelet" failed: exit code 1/);
    expect(await drawer.textContent()).toContain('going to restart forever');
    expect(await drawer.getByTestId('fix-command').first().textContent()).toContain('logs kubelet --tail 100');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /etcd NOSPACE alarm/ }).click();
    await expect.poll(() => drawer.textContent()).toMatch(/member [0-9a-f]{16}: NOSPACE/);
    expect(await drawer.textContent()).toMatch(/DB 2\.00 GiB of 2 GiB quota/);
    const fixes = await drawer.getByTestId('fix-command').allTextContents();
    expect(fixes.some((f) => f.includes('etcd defrag'))).toBe(true);
    expect(fixes.some((f) => f.includes('etcd alarm disarm'))).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('heals one, then all, from the practice cluster menu in the status bar: the list empties and the etcd alarm goes away', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Practice cluster: 127\.0\.0\.1:\d+ · 3 scenarios staged$/ }).click();
    await expect.poll(() => staged().getByRole('listitem').count()).toBe(3);
    // Hide the answers: what to find stays folded until the trainee reveals it.
    const first = staged().getByRole('listitem').first();
    expect(await first.getByText(/^What to find:/).isVisible()).toBe(true);
    await dialog().getByLabel('Hide the answers').check();
    expect(await first.getByText(/^What to find:/).isVisible()).toBe(false);
    await shoot('practice-blind');
    await first.getByText('Reveal what to find and where to look').click();
    expect(await first.getByText(/^What to find:/).isVisible()).toBe(true);
    await dialog().getByLabel('Hide the answers').uncheck();
    // One is healed on its own; the status bar counts what is left.
    await dialog().getByRole('button', { name: 'Heal Crash-looping service (kubelet) on lab-worker-1' }).click();
    await expect.poll(() => staged().getByRole('listitem').count()).toBe(2);
    expect(
      app
        .lab()
        .scenarios()
        .map((s) => s.kind),
    ).toEqual(['etcd-nospace', 'disk-full']);
    await expect
      .poll(() => page.getByRole('button', { name: /^Practice cluster: 127\.0\.0\.1:\d+ · 2 scenarios staged$/ }).count())
      .toBe(1);
    await dialog().getByRole('button', { name: 'Heal all' }).click();
    await expect.poll(() => stagedRegion().textContent()).toContain('Nothing staged');
    expect(app.lab().scenarios()).toEqual([]);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: /^Practice cluster: 127\.0\.0\.1:\d+$/ }).count()).toBe(1);
    const findings = page.getByRole('list', { name: 'Findings' });
    await expect.poll(() => findings.textContent(), { timeout: 30_000 }).not.toContain('etcd NOSPACE alarm');
  });
});
