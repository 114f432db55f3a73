import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../services/evidence/pdf-printer';

/**
 * Desktop: report.pdf is printed by Electron itself (webContents.printToPDF) from a hidden, sandboxed
 * window with JavaScript off that loads the report's HTML from a data: URL and nothing else.
 */
export function electronPdfPrinter(): PdfPrinter {
  return {
    name: 'Electron printToPDF (desktop)',
    async print(html) {
      const window = new BrowserWindow({
        show: false,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, offscreen: true },
      });
      try {
        window.webContents.on('will-navigate', (event) => event.preventDefault());
        window.webContents.session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*'] }, (_details, callback) =>
          callback({ cancel: true }),
        );
        await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
        const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
        return new Uint8Array(pdf);
      } finally {
        window.destroy();
      }
    },
  };
}
