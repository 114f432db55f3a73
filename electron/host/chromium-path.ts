import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ChromiumChoice {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

function systemChromium(): string | null {
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return null;
}

let chosen: Promise<ChromiumChoice> | null = null;

/**
 * The Chromium to drive without Electron (the end-to-end tests, and printing PDFs in browser mode), in
 * order: `CHROMIUM_PATH`, a system Chromium, else the headless Chromium shipped inside the npm package
 * `@sparticuz/chromium` (it installs offline from the registry), so a machine with only Node works.
 */
export function chooseChromium(): Promise<ChromiumChoice> {
  chosen ??= (async () => {
    const fromEnv = process.env.CHROMIUM_PATH;
    if (fromEnv) {
      if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points at ${fromEnv}, which does not exist.`);
      return { path: fromEnv, source: 'CHROMIUM_PATH' as const };
    }
    const system = systemChromium();
    if (system) return { path: system, source: 'system' as const };
    const { default: packaged } = await import('@sparticuz/chromium');
    return { path: await packaged.executablePath(), source: '@sparticuz/chromium' as const };
  })();
  chosen.catch(() => (chosen = null));
  return chosen;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
