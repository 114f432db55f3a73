/** Turns the report's HTML into a PDF: Electron's printToPDF on desktop, a headless Chromium in browser mode. */
export interface PdfPrinter {
  /** Shown in the app and the README: which engine prints. */
  name: string;
  print(html: string): Promise<Uint8Array>;
}
