// Builds the renderer with Vite and the main-process entries with esbuild into out/.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { cp, rm } from 'node:fs/promises';

await rm('out', { recursive: true, force: true });
await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
await cp('lab/data', 'out/data', { recursive: true });
const cjsImportMeta = { 'import.meta.url': 'importMetaUrl' };
const cjsBanner = { js: 'const importMetaUrl = require("url").pathToFileURL(__filename).href;' };
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  loader: { '.jsonl': 'copy', '.yaml': 'copy' },
};
await esbuild({
  ...common,
  entryPoints: { main: 'electron/desktop/main.ts' },
  outdir: 'out/electron',
  format: 'cjs',
  define: cjsImportMeta,
  banner: cjsBanner,
  outExtension: { '.js': '.cjs' },
  // The CycloneDX library reads its bundled JSON schemas from its own folder at run time.
  external: ['electron', '@cyclonedx/cyclonedx-library', 'playwright-core', '@sparticuz/chromium'],
});
await esbuild({
  ...common,
  entryPoints: { preload: 'electron/desktop/preload.ts' },
  outdir: 'out/electron',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  external: ['electron'],
});
await esbuild({
  ...common,
  entryPoints: { main: 'electron/browser/main.ts' },
  outdir: 'out/web',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  packages: 'external',
});
console.log('built out/renderer, out/electron, out/web');
