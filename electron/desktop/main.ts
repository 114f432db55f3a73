import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import path from 'node:path';
import { channelNames } from '../../shared/contract';
import { createDispatcher } from '../host/dispatch';
import { createEventBus } from '../host/event-bus';
import { lockProfile } from '../host/profile-lock';
import { isTrustedSender } from '../host/trusted-sender';
import { createServices } from '../services';
import { serveAppRequest } from './app-protocol';
import { LogPorts } from './log-ports';
import { electronPdfPrinter } from './print-pdf';
import { safeStorageWrapper } from './safe-storage-wrapper';
import { externalUrlToOpen, RENDERER_URL, saveDialogTitle, windowOptions } from './window-policy';

// This file is the thin Electron shim; the decisions it applies live in tested pure modules
// (window-policy.ts, app-protocol.ts, keyring-wrapper.ts, ../host/trusted-sender.ts, ../host/profile-lock.ts).
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

// A failure in one stream or call must never take the app down with it.
process.on('unhandledRejection', (reason) =>
  console.error('[main] unhandled rejection:', reason instanceof Error ? reason.message : reason),
);

let window: BrowserWindow | null = null;

async function createWindow(): Promise<void> {
  window = new BrowserWindow(windowOptions(path.join(__dirname, 'preload.cjs')));
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(RENDERER_URL);
}

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore();
  window?.focus();
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle('app', async (request) => {
    const answer = await serveAppRequest(request.url, RENDERER_DIR);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });

  let lock: Awaited<ReturnType<typeof lockProfile>>;
  try {
    lock = await lockProfile(app.getPath('userData'), 'desktop');
  } catch (error) {
    dialog.showErrorBox('Nodeglass is already running', error instanceof Error ? error.message : String(error));
    app.quit();
    return;
  }
  app.on('will-quit', () => void lock.release());

  const bus = createEventBus();
  const keyring = safeStorageWrapper();
  // Each log stream's frames go to its worker over a port of its own; acknowledgements take the contract's path.
  let ackLog: (streamId: string, frames: number) => void = () => undefined;
  const logPorts = new LogPorts((streamId, frames) => ackLog(streamId, frames));
  const services = createServices({
    host: 'desktop',
    logFrames: logPorts,
    version: app.getVersion(),
    dataDir: app.getPath('userData'),
    emit: bus.emit,
    keyring: { keyringWrapper: keyring.wrapper, keyringNote: keyring.note },
    pickFile: async () => {
      const options = { title: 'Import talosconfig', properties: ['openFile' as const, 'showHiddenFiles' as const] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    pdfPrinter: electronPdfPrinter(),
    saveFile: async (suggestedName) => {
      const options = {
        title: saveDialogTitle(suggestedName),
        defaultPath: path.join(app.getPath('downloads'), suggestedName),
      };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled ? null : (result.filePath ?? null);
    },
  });
  const dispatch = createDispatcher(services);
  ackLog = (streamId, frames) => void dispatch('logs.ack', { streamId, frames });
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      if (!isTrustedSender(event.senderFrame, RENDERER_URL))
        return { ok: false, error: { code: 'PERMISSION_DENIED', message: 'Request from an untrusted frame was refused.' } };
      return dispatch(channel, request);
    });
  }
  bus.subscribe((name, payload) => window?.webContents.send(`event:${name}`, payload));
  // The log viewer's end of a stream's MessageChannel (see preload): log frames go straight to its worker.
  ipcMain.on('logs:port', (event, message: unknown) => {
    const port = event.ports[0];
    if (!port) return;
    const streamId = (message as { streamId?: unknown } | null)?.streamId;
    if (!isTrustedSender(event.senderFrame, RENDERER_URL) || typeof streamId !== 'string') return port.close();
    logPorts.attach(streamId, port);
  });
  app.on('before-quit', () => void services.dispose());
  await createWindow();
});

app.on('window-all-closed', () => app.quit());
