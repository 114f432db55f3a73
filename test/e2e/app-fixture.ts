import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBrowserMode } from '../../electron/browser/start-browser-mode';
import type { Lab } from '../../lab/cluster';
import { launchChromium } from './chromium';

export interface App {
  mode: Awaited<ReturnType<typeof startBrowserMode>>;
  browser: Browser;
  page: Page;
  /** The fresh data folder (vault, audit trail) of this run. */
  dataDir: string;
  lab(): Lab;
  /** Picks an identity in the sidebar and waits for its nodes. */
  useIdentity(name: string, nodeCount?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Browser mode on a fresh data folder, the built renderer in Debian's Chromium, and one page on it. */
export async function startApp(
  options: { openPracticeCluster?: boolean; clipboard?: boolean; log?: (message: string) => void } = {},
): Promise<App> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-e2e-'));
  const mode = await startBrowserMode({
    staticDir: path.resolve('out/renderer'),
    dataDir: dir,
    version: 'e2e',
    log: options.log ?? (() => undefined),
  });
  const browser = await launchChromium();
  const context = await browser.newContext();
  if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mode.host.origin });
  const page = await context.newPage();
  const nodes = page.getByRole('list', { name: 'Nodes' }).getByRole('checkbox');
  if (options.openPracticeCluster) {
    // Actions are refused until the audit trail can be sealed, and its key lives in the vault.
    await mode.services.handlers['vault.setup']({ passphrase: 'e2e test passphrase' });
    await page.goto(mode.host.url);
    await page.getByRole('button', { name: 'Open practice cluster' }).click();
    await nodes.nth(2).waitFor({ timeout: 45_000 });
  }
  return {
    mode,
    browser,
    page,
    dataDir: dir,
    lab() {
      const lab = mode.services.lab.current();
      if (!lab) throw new Error('the practice cluster is not running');
      return lab;
    },
    async useIdentity(name, nodeCount = 3) {
      await page
        .getByRole('list', { name: 'Identities' })
        .getByRole('button', { name: new RegExp(name) })
        .click();
      await nodes.nth(nodeCount - 1).waitFor();
    },
    async stop() {
      await browser.close();
      await mode.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
