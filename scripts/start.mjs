// `npm start`: builds, then opens the desktop app, or falls back to browser mode when Electron is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const webOnly = process.argv.includes('--web');
const passthrough = process.argv.slice(2).filter((a) => a !== '--web');

if (!(process.env.NODEGLASS_SKIP_BUILD === '1' && existsSync('out/web/main.mjs'))) {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// Reads electron's path.txt directly: requiring 'electron' would try to download the binary.
function electronBinary() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile))
    return { reason: 'its binary was never downloaded (npm does not run its install script here; this machine cannot fetch it)' };
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { binary } : { reason: `the binary is missing at ${binary}` };
}

let child;
const electron = webOnly ? { reason: 'browser mode was asked for (--web)' } : electronBinary();
if (electron.binary) {
  child = spawn(electron.binary, ['.', ...passthrough], { stdio: 'inherit' });
} else {
  const reason = `Electron is unavailable: ${electron.reason}. Starting browser mode instead.`;
  child = spawn(process.execPath, ['out/web/main.mjs', ...passthrough], {
    stdio: 'inherit',
    env: { ...process.env, NODEGLASS_BROWSER_REASON: reason },
  });
}
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code) => process.exit(code ?? 0));
