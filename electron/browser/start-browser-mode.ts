import { createDispatcher } from '../host/dispatch';
import { createEventBus } from '../host/event-bus';
import { lockProfile } from '../host/profile-lock';
import { createServices, type Services } from '../services';
import { chromiumPdfPrinter } from './chromium-pdf';
import { LogSockets } from './log-sockets';
import { startBrowserHost, type BrowserHost } from './server';

export interface BrowserModeOptions {
  staticDir: string;
  dataDir: string;
  version: string;
  port?: number;
  host?: string;
  log?: (msg: string) => void;
}

/** The services behind the browser-mode host: used by `npm start` without Electron and by the e2e tests. */
export async function startBrowserMode(
  options: BrowserModeOptions,
): Promise<{ host: BrowserHost; services: Services; stop(): Promise<void> }> {
  // One host per profile: a second one would write the same vault and audit trail.
  const lock = await lockProfile(options.dataDir, 'browser');
  const bus = createEventBus();
  // Each log stream's frames go to its worker over a socket of its own; acknowledgements take the contract's path.
  let dispatch: ReturnType<typeof createDispatcher> | null = null;
  const logSockets = new LogSockets((streamId, frames) => void dispatch?.('logs.ack', { streamId, frames }));
  const services = createServices({
    host: 'browser',
    version: options.version,
    dataDir: options.dataDir,
    emit: bus.emit,
    pdfPrinter: chromiumPdfPrinter(),
    logFrames: logSockets,
  });
  dispatch = createDispatcher(services, options.log);
  let started: BrowserHost;
  try {
    started = await startBrowserHost({
      staticDir: options.staticDir,
      dispatch,
      logSockets,
      handovers: services.handovers,
      port: options.port,
      host: options.host,
      log: options.log,
    });
    await lock.describe(started.origin);
  } catch (error) {
    await services.dispose();
    await lock.release();
    throw error;
  }
  const unsubscribe = bus.subscribe((name, payload) => started.emit(name, payload as never));
  return {
    host: started,
    services,
    async stop() {
      unsubscribe();
      await services.dispose();
      await started.close();
      await lock.release();
    },
  };
}
