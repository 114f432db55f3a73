import { createDispatcher } from '../host/dispatch';
import { createEventBus } from '../host/event-bus';
import { createServices, type Services } from '../services';
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
  const bus = createEventBus();
  const services = createServices({ host: 'browser', version: options.version, dataDir: options.dataDir, emit: bus.emit });
  const host = await startBrowserHost({
    staticDir: options.staticDir,
    dispatch: createDispatcher(services.handlers, options.log, services.guard),
    port: options.port,
    host: options.host,
    log: options.log,
  });
  const unsubscribe = bus.subscribe((name, payload) => host.emit(name, payload as never));
  return {
    host,
    services,
    async stop() {
      unsubscribe();
      await services.dispose();
      await host.close();
    },
  };
}
