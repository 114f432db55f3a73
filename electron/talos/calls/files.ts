import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { Empty } from '../../../proto/gen/google/protobuf/empty';
import { MachineServiceService as M } from '../../../proto/gen/machine/machine';
import { AppError } from '../../../shared/errors';
import { diskUsageQuerySchema, type CopyResult, type DiskUsageEntry, type DiskUsageQuery } from '../../../shared/domain/storage';
import type { TalosClient } from '../client';
import { untar, untarGz, type TarMember } from '../tar-reader';

/** Copy (`talosctl copy`), DiskUsage (`talosctl usage`) and Kubeconfig (`talosctl kubeconfig`). */
export class FileCalls {
  constructor(private readonly client: TalosClient) {}

  /**
   * Streams `talosctl copy <root> -` (a .tar.gz, os:admin) into `path` through `<path>.part`: the file appears
   * only complete; a failure or cancel leaves nothing behind.
   */
  async copyToFile(
    node: string,
    rootPath: string,
    path: string,
    onProgress?: (bytes: number) => void,
    signal?: AbortSignal,
  ): Promise<CopyResult> {
    const part = `${path}.part`;
    const file = await open(part, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    let pending: Buffer[] = [];
    let writing = Promise.resolve();
    const flush = () => {
      const batch = Buffer.concat(pending);
      pending = [];
      writing = writing.then(async () => {
        await file.write(batch);
      });
    };
    try {
      await this.client.connection.stream(
        M.copy,
        { rootPath },
        node,
        (d) => {
          const bytes = Buffer.from(d.bytes);
          size += bytes.length;
          hash.update(bytes);
          pending.push(bytes);
          if (pending.length >= 256) flush();
          onProgress?.(size);
        },
        signal,
      );
      flush();
      await writing;
      await file.sync();
      await file.close();
      await rename(part, path);
      return { path, sizeBytes: size, sha256: hash.digest('hex') };
    } catch (error) {
      await writing.catch(() => undefined);
      await file.close().catch(() => undefined);
      await rm(part, { force: true });
      throw error;
    }
  }

  /** `talosctl copy <root> -` as chunks for any sink (FileDownloads: a file on desktop, the page in browser mode). */
  copyStream(node: string, rootPath: string, onChunk: (bytes: Uint8Array) => void, signal?: AbortSignal): Promise<void> {
    return this.client.connection.stream(M.copy, { rootPath }, node, (d) => onChunk(d.bytes), signal);
  }

  /** Copy into memory and unpack, for small trees (cgroups, /sys/dev/block); refuses more than `maxBytes`. */
  async copyEntries(node: string, rootPath: string, maxBytes = 64 * 1024 * 1024): Promise<TarMember[]> {
    const chunks: Buffer[] = [];
    let size = 0;
    const abort = new AbortController();
    try {
      await this.client.connection.stream(
        M.copy,
        { rootPath },
        node,
        (d) => {
          size += d.bytes.length;
          if (size > maxBytes) abort.abort();
          else chunks.push(Buffer.from(d.bytes));
        },
        abort.signal,
      );
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
    if (size > maxBytes)
      throw new AppError(
        'TOO_LARGE',
        `${rootPath} on ${node} is over ${Math.round(maxBytes / 1048576)} MiB as an archive; copy it to a file instead.`,
      );
    try {
      return untarGz(Buffer.concat(chunks));
    } catch (error) {
      throw new AppError('INTERNAL', `The archive of ${rootPath} from ${node} could not be read: ${(error as Error).message}.`);
    }
  }

  /** `talosctl usage`: apparent sizes, each directory after its contents. */
  async diskUsage(node: string, query: DiskUsageQuery = {}): Promise<DiskUsageEntry[]> {
    const q = diskUsageQuerySchema.parse(query);
    const out: DiskUsageEntry[] = [];
    await this.client.connection.stream(
      M.diskUsage,
      // talosctl sends its depth + 1: depth 0 (its default) shows only the totals of the paths.
      { recursionDepth: q.depth + 1, all: q.all, threshold: String(q.threshold), paths: q.paths },
      node,
      (d) => out.push({ name: d.name, relativeName: d.relativeName, sizeBytes: Number(d.size), error: d.error || null }),
    );
    return out;
  }

  /**
   * `talosctl kubeconfig` (os:admin, control planes): the admin kubeconfig YAML. It holds a private key, so it stays in
   * the privileged process until written where the operator chose. The node sends one gzip'd tar that is left open.
   */
  async kubeconfig(node: string): Promise<string> {
    const chunks: Buffer[] = [];
    await this.client.connection.stream(M.kubeconfig, Empty.fromPartial({}), node, (d) => chunks.push(Buffer.from(d.bytes)));
    let members: TarMember[];
    try {
      members = untar(gunzipSync(Buffer.concat(chunks), { finishFlush: 2 }));
    } catch (error) {
      throw new AppError('INTERNAL', `The kubeconfig from ${node} is not a gzip'd tar (${(error as Error).message}).`);
    }
    const file = members.find((m) => m.name === 'kubeconfig' && m.content);
    if (!file?.content) throw new AppError('INTERNAL', `The archive from ${node} holds no kubeconfig.`);
    return file.content.toString('utf8');
  }
}
