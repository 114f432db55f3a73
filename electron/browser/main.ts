import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../host/app-paths';
import { startBrowserMode } from './start-browser-mode';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const portArg = process.argv.find((a) => a.startsWith('--port='));
const reason = process.env.NODEGLASS_BROWSER_REASON;

let mode: Awaited<ReturnType<typeof startBrowserMode>>;
try {
  mode = await startBrowserMode({
    staticDir: path.join(root, 'renderer'),
    dataDir: defaultDataDir(),
    version: process.env.npm_package_version ?? '0.0.0',
    port: portArg ? Number(portArg.slice('--port='.length)) : 0,
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

if (reason) console.log(reason);
console.log('Nodeglass is running in browser mode (only this computer can reach it).');
console.log(`Open: ${mode.host.url}`);
console.log('Press Ctrl+C to stop.');

// A failure in one stream or call must never take the host down with it.
process.on('unhandledRejection', (reason) =>
  console.error('[host] unhandled rejection:', reason instanceof Error ? reason.message : reason),
);

const stop = () => void mode.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
