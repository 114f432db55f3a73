import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { Emit } from '../../shared/handlers';
import type { TalosClient } from '../talos/client';
import type { IdentityStore } from './identities/identity-store';
import type { TalosSessions } from './talos-sessions';

/** Browser mode hands the file over in pieces of about this size (base64 inside JSON on the WebSocket). */
export const CHUNK_BYTES = 512 * 1024;
/** Progress (bytes, packets) is reported after this many bytes, or this long, whichever comes first. */
const PROGRESS_BYTES = 1024 * 1024;
const PROGRESS_MS = 250;

export interface DownloadResult {
  savedTo: string | null;
  bytes: number;
  cancelled: boolean;
  /** SHA-256 of exactly the bytes saved, so the operator can compare it with the source's. */
  sha256: string;
}

/** Where the bytes come from: a node stream that calls `onChunk` and settles when it ends; `count` reports packets. */
export type Source<X> = (
  client: TalosClient,
  onChunk: (bytes: Uint8Array) => void,
  signal: AbortSignal,
  count: (packets: number) => void,
) => Promise<X>;

export interface DownloadRequest {
  identityId: string;
  downloadId: string;
  suggestedName: string;
  /** The roles that may do it and what it is, for the refusal: "Reading files needs os:admin". */
  roles: { allowed: string[]; what: string };
}

/**
 * Large downloads from nodes: files (`talosctl read`), etcd snapshots, `copy` archives, packet captures, support
 * bundles. On desktop the bytes go straight to the file the operator chose (a `.part` file renamed when complete,
 * removed on failure); in browser mode they cross to the page in chunks and the page saves them, so neither side
 * ever holds more than a chunk here. A source that fails at the end (a snapshot whose hash does not match) leaves
 * nothing behind on either side.
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

  /** `talosctl read node:/path > file` for files of any size. */
  download(request: { identityId: string; node: string; path: string; downloadId: string }): Promise<DownloadResult> {
    const { identityId, node, path: file, downloadId } = request;
    return this.run(
      {
        identityId,
        downloadId,
        suggestedName: path.posix.basename(file) || 'download',
        roles: { allowed: ['os:admin'], what: 'Reading files' },
      },
      (client, onChunk, signal) => client.readStream(node, file, onChunk, signal),
    ).then((r) => r.result);
  }

  async run<X>(request: DownloadRequest, source: Source<X>): Promise<{ result: DownloadResult; extra: X | null }> {
    const { identityId, downloadId } = request;
    if (this.running.has(downloadId)) throw new AppError('INVALID_ARGUMENT', 'That download is already running.');
    // Registered before the first await, so a cancel sent right after the request is never missed.
    const abort = new AbortController();
    this.running.set(downloadId, abort);
    try {
      const meta = await this.identities.meta(identityId);
      if (!meta.roles.some((r) => request.roles.allowed.includes(r)))
        throw new AppError(
          'PERMISSION_DENIED',
          `${request.roles.what} needs ${request.roles.allowed.join(' or ')}; this identity has ${meta.roles.join(', ') || 'no roles'}.`,
        );
      const client = await this.sessions.client(identityId);
      let extra: X | null = null;
      let packets: number | null = null;
      const read: Reader = async (onChunk) => {
        if (abort.signal.aborted) return;
        extra = await source(client, onChunk, abort.signal, (n) => (packets = n));
      };
      const progress = (bytes: number, base64: string | null) => this.emit('files.chunk', { downloadId, bytes, base64, packets });
      if (!this.chooseTarget) return { result: await this.toPage(read, abort.signal, progress), extra };
      const target = await this.chooseTarget(request.suggestedName);
      if (!target) return { result: { savedTo: null, bytes: 0, cancelled: true, sha256: '' }, extra: null };
      const result = await this.toDisk(target, read, abort.signal, progress);
      return { result, extra };
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

  private async toPage(read: Reader, signal: AbortSignal, progress: Progress): Promise<DownloadResult> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let total = 0;
    let reported = 0;
    const hash = createHash('sha256');
    const flush = () => {
      if (pendingBytes === 0) return;
      progress(total, Buffer.concat(pending).toString('base64'));
      reported = Date.now();
      pending = [];
      pendingBytes = 0;
    };
    const ended = await settle(
      read((bytes) => {
        const copy = Buffer.from(bytes);
        hash.update(copy);
        pending.push(copy);
        pendingBytes += copy.length;
        total += copy.length;
        if (pendingBytes >= CHUNK_BYTES) flush();
        else if (Date.now() - reported >= PROGRESS_MS) {
          reported = Date.now();
          progress(total, null);
        }
      }),
      signal,
    );
    if (ended === 'cancelled') return { savedTo: null, bytes: total, cancelled: true, sha256: '' };
    flush();
    return { savedTo: null, bytes: total, cancelled: false, sha256: hash.digest('hex') };
  }

  private async toDisk(target: string, read: Reader, signal: AbortSignal, progress: Progress): Promise<DownloadResult> {
    const part = `${target}.part`;
    const handle = await open(part, 'w', 0o600);
    const hash = createHash('sha256');
    let total = 0;
    let reported = Date.now();
    let reportedBytes = 0;
    let writing = Promise.resolve();
    let closed = false;
    try {
      const ended = await settle(
        read((bytes) => {
          const copy = Buffer.from(bytes);
          hash.update(copy);
          total += copy.length;
          writing = writing.then(async () => void (await handle.write(copy)));
          if (total - reportedBytes >= PROGRESS_BYTES || Date.now() - reported >= PROGRESS_MS) {
            reported = Date.now();
            reportedBytes = total;
            progress(total, null);
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
      progress(total, null);
      return { savedTo: target, bytes: total, cancelled: false, sha256: hash.digest('hex') };
    } catch (error) {
      if (!closed) await handle.close().catch(() => undefined);
      await rm(part, { force: true });
      if (error instanceof Cancelled) return { savedTo: null, bytes: total, cancelled: true, sha256: '' };
      throw error;
    }
  }
}

type Reader = (onChunk: (bytes: Uint8Array) => void) => Promise<void>;
type Progress = (bytes: number, base64: string | null) => void;

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
