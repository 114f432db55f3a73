import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import path from 'node:path';
import { channelNames } from '../../shared/contract';
import { loadStaticFile } from '../browser/static-files';
import { createDispatcher } from '../host/dispatch';
import { createEventBus } from '../host/event-bus';
import { isTrustedSender } from '../host/trusted-sender';
import { createServices } from '../services';
import { safeStorageWrapper } from './safe-storage-wrapper';

const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
/** The renderer is served from a privileged custom scheme, not file://, so file:// needs no extra rights. */
const APP_ORIGIN = 'app://nodeglass';
const rendererUrl = `${APP_ORIGIN}/index.html`;
const CSP =
  "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

// A failure in one stream or call must never take the app down with it.
process.on('unhandledRejection', (reason) =>
  console.error('[main] unhandled rejection:', reason instanceof Error ? reason.message : reason),
);

let window: BrowserWindow | null = null;

async function createWindow(): Promise<void> {
  window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Nodeglass',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(rendererUrl);
}

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore();
  window?.focus();
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'nodeglass' ? await loadStaticFile(path.resolve(RENDERER_DIR), url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'Content-Type': file.type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  });

  const bus = createEventBus();
  const keyring = safeStorageWrapper();
  const services = createServices({
    host: 'desktop',
    version: app.getVersion(),
    dataDir: app.getPath('userData'),
    emit: bus.emit,
    keyring: { keyringWrapper: keyring.wrapper, keyringNote: keyring.note },
    pickFile: async () => {
      const options = { title: 'Import talosconfig', properties: ['openFile' as const, 'showHiddenFiles' as const] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    saveFile: async (suggestedName) => {
      const options = { title: 'Save file from node', defaultPath: path.join(app.getPath('downloads'), suggestedName) };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled ? null : (result.filePath ?? null);
    },
  });
  const dispatch = createDispatcher(services.handlers, console.error, services.guard);
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url, rendererUrl))
        return { ok: false, error: { code: 'PERMISSION_DENIED', message: 'Request from an untrusted frame was refused.' } };
      return dispatch(channel, request);
    });
  }
  bus.subscribe((name, payload) => window?.webContents.send(`event:${name}`, payload));
  app.on('before-quit', () => void services.dispose());
  await createWindow();
});

app.on('window-all-closed', () => app.quit());
