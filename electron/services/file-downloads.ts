import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { Emit } from '../../shared/handlers';
import type { IdentityStore } from './identities/identity-store';
import type { TalosSessions } from './talos-sessions';

/** Browser mode hands the file over in pieces of about this size (base64 inside JSON on the WebSocket). */
export const CHUNK_BYTES = 512 * 1024;
/** On desktop, progress is reported after each this many bytes written. */
const PROGRESS_BYTES = 1024 * 1024;

export interface DownloadResult {
  savedTo: string | null;
  bytes: number;
  cancelled: boolean;
}

/**
 * `talosctl read node:/path > file` for files of any size. On desktop the bytes go straight to the file the
 * operator chose (a `.part` file renamed when complete, removed on failure); in browser mode they cross to
 * the page in chunks and the page saves them, so neither side ever holds more than a chunk here.
 */
export class FileDownloads {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly sessions: TalosSessions,
    private readonly identities: Pick<IdentityStore, 'meta'>,
    private readonly emit: Emit,
    /** The desktop's save dialog; browser mode has none. */
    private readonly chooseTarget?: (suggestedName: string) => Promise<string | null>,
  ) {}

  async download(request: { identityId: string; node: string; path: string; downloadId: string }): Promise<DownloadResult> {
    const { identityId, node, path: file, downloadId } = request;
    if (this.running.has(downloadId)) throw new AppError('INVALID_ARGUMENT', 'That download is already running.');
    // Registered before the first await, so a cancel sent right after the request is never missed.
    const abort = new AbortController();
    this.running.set(downloadId, abort);
    try {
      const meta = await this.identities.meta(identityId);
      if (!meta.roles.includes('os:admin'))
        throw new AppError('PERMISSION_DENIED', `Reading files needs os:admin; this identity has ${meta.roles.join(', ') || 'no roles'}.`);
      const client = await this.sessions.client(identityId);
      const read = (onChunk: (bytes: Uint8Array) => void) =>
        abort.signal.aborted ? Promise.resolve() : client.readStream(node, file, onChunk, abort.signal);
      if (!this.chooseTarget) return await this.toPage(downloadId, read, abort.signal);
      const target = await this.chooseTarget(path.posix.basename(file) || 'download');
      if (!target) return { savedTo: null, bytes: 0, cancelled: true };
      return await this.toDisk(downloadId, target, read, abort.signal);
    } finally {
      this.running.delete(downloadId);
    }
  }

  cancel(downloadId: string): void {
    this.running.get(downloadId)?.abort();
  }

  cancelAll(): void {
    for (const abort of this.running.values()) abort.abort();
  }

  private async toPage(downloadId: string, read: Reader, signal: AbortSignal): Promise<DownloadResult> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let total = 0;
    const flush = () => {
      if (pendingBytes === 0) return;
      this.emit('files.chunk', { downloadId, bytes: total, base64: Buffer.concat(pending).toString('base64') });
      pending = [];
      pendingBytes = 0;
    };
    const ended = await settle(
      read((bytes) => {
        pending.push(Buffer.from(bytes));
        pendingBytes += bytes.length;
        total += bytes.length;
        if (pendingBytes >= CHUNK_BYTES) flush();
      }),
      signal,
    );
    if (ended === 'cancelled') return { savedTo: null, bytes: total, cancelled: true };
    flush();
    return { savedTo: null, bytes: total, cancelled: false };
  }

  private async toDisk(downloadId: string, target: string, read: Reader, signal: AbortSignal): Promise<DownloadResult> {
    const part = `${target}.part`;
    const handle = await open(part, 'w', 0o600);
    let total = 0;
    let reported = 0;
    let writing = Promise.resolve();
    let closed = false;
    try {
      const ended = await settle(
        read((bytes) => {
          const copy = Buffer.from(bytes);
          total += copy.length;
          writing = writing.then(async () => void (await handle.write(copy)));
          if (total - reported >= PROGRESS_BYTES) {
            reported = total;
            this.emit('files.chunk', { downloadId, bytes: total, base64: null });
          }
        }),
        signal,
      );
      await writing;
      if (ended === 'cancelled') throw new Cancelled();
      await handle.sync();
      await handle.close();
      closed = true;
      await rename(part, target);
      this.emit('files.chunk', { downloadId, bytes: total, base64: null });
      return { savedTo: target, bytes: total, cancelled: false };
    } catch (error) {
      if (!closed) await handle.close().catch(() => undefined);
      await rm(part, { force: true });
      if (error instanceof Cancelled) return { savedTo: null, bytes: total, cancelled: true };
      throw error;
    }
  }
}

type Reader = (onChunk: (bytes: Uint8Array) => void) => Promise<void>;

class Cancelled extends Error {}

/** Waits for the stream; a cancelled download ends quietly instead of with the stream's abort error. */
async function settle(reading: Promise<void>, signal: AbortSignal): Promise<'done' | 'cancelled'> {
  try {
    await reading;
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  return signal.aborted ? 'cancelled' : 'done';
}
