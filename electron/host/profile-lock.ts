import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../certs/atomic-file';
import { AppError } from '../../shared/errors';

interface LockInfo {
  pid: number;
  host: 'desktop' | 'browser';
  startedAt: string;
  url?: string;
}

export interface ProfileLock {
  file: string;
  /** Records where this instance can be reached (browser mode's URL, without its token). */
  describe(url: string): Promise<void>;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' ? (info as LockInfo) : null;
  } catch {
    return null;
  }
}

/**
 * One Nodeglass per profile (data folder), whichever host runs it: two at once would write the same audit
 * trail and vault and fork the chain. The lock is a file created exclusively; a lock left by a process that
 * no longer runs is taken over.
 */
export async function lockProfile(dataDir: string, host: LockInfo['host'], pid = process.pid): Promise<ProfileLock> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'nodeglass.lock');
  const info: LockInfo = { pid, host, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(info));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(file);
      if (attempt === 0 && (!holder || (holder.pid !== pid && !alive(holder.pid)))) {
        await rm(file, { force: true });
        continue;
      }
      const who = holder
        ? `Nodeglass (${holder.host === 'browser' ? 'browser mode' : 'desktop app'}, process ${holder.pid}, started ${holder.startedAt}${holder.url ? `, at ${holder.url}` : ''})`
        : 'Nodeglass';
      throw new AppError(
        'PROFILE_IN_USE',
        `Another ${who} is already using the profile in ${dataDir}. Two at once would fork its audit trail. Switch to that one, or stop it first; to run a second one, give it its own profile with NODEGLASS_DATA_DIR. If no Nodeglass is running, delete ${file}.`,
      );
    }
  }
  return {
    file,
    async describe(url) {
      info.url = url;
      await writeFileAtomic(file, JSON.stringify(info));
    },
    async release() {
      if ((await readLock(file))?.pid === pid) await rm(file, { force: true });
    },
  };
}
