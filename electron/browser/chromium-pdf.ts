import type { PdfPrinter } from '../services/evidence/pdf-printer';
import { CHROMIUM_ARGS, chooseChromium } from '../host/chromium-path';

/**
 * Browser mode has no Electron, so report.pdf is printed by a headless Chromium (the same one the
 * end-to-end tests use) through playwright-core's page.pdf(). The page gets the report's HTML with
 * JavaScript and network off.
 */
export function chromiumPdfPrinter(): PdfPrinter {
  return {
    name: 'headless Chromium (browser mode)',
    async print(html) {
      const choice = await chooseChromium();
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: choice.path, headless: true, args: CHROMIUM_ARGS });
      try {
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        return new Uint8Array(
          await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } }),
        );
      } finally {
        await browser.close();
      }
    },
  };
}
