import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chooseChromium } from '../../electron/host/chromium-path';

export { chooseChromium, type ChromiumChoice } from '../../electron/host/chromium-path';

let announced = false;

export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  const browser = await chromium.launch({ executablePath: choice.path, headless: true, args: CHROMIUM_ARGS });
  if (!announced) {
    announced = true;
    console.info(`[e2e] Chromium ${browser.version()} from ${choice.source} (${choice.path})`);
  }
  return browser;
}
