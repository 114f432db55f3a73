/** The desktop window's security settings, as data and pure functions so they are tested without Electron. */

export const APP_ORIGIN = 'app://nodeglass';
export const RENDERER_URL = `${APP_ORIGIN}/index.html`;

export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Sandboxed, isolated, no Node in the page, no webviews, nothing insecure mixed in. */
export function windowOptions(preload: string) {
  return {
    width: 1400,
    height: 900,
    title: 'Nodeglass',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  } as const;
}

/** Hosts whose pages may be opened in the system browser: Talos documentation only. */
export const EXTERNAL_HOSTS = ['www.talos.dev', 'talos.dev', 'docs.siderolabs.com'] as const;

/** The URL to hand to the system browser, or null: https, no credentials, host on the list. */
export function externalUrlToOpen(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return null;
  return (EXTERNAL_HOSTS as readonly string[]).includes(parsed.hostname) ? parsed.toString() : null;
}

/** The save dialog's title says what is being saved (a talosconfig holds its key in clear). */
export function saveDialogTitle(suggestedName: string): string {
  if (suggestedName.startsWith('nodeglass-evidence-')) return 'Save evidence pack';
  if (suggestedName.endsWith('.nodeglass-bundle')) return 'Save encrypted identity bundle';
  if (suggestedName.startsWith('talosconfig-')) return 'Save talosconfig (the private key is in clear)';
  return 'Save file from node';
}
