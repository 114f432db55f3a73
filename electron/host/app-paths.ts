import os from 'node:os';
import path from 'node:path';

/** Where Nodeglass keeps its data when Electron's `app.getPath` is not available (browser mode). */
export function defaultDataDir(): string {
  if (process.env.NODEGLASS_DATA_DIR) return path.resolve(process.env.NODEGLASS_DATA_DIR);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Nodeglass');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Nodeglass');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'nodeglass');
}
