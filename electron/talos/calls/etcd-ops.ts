import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { Empty } from '../../../proto/gen/google/protobuf/empty';
import { MachineServiceService as M } from '../../../proto/gen/machine/machine';
import { AppError } from '../../../shared/errors';
import { etcdMemberIdSchema, type EtcdSnapshotResult } from '../../../shared/domain/etcd-ops';
import type { TalosEtcd } from '../../../shared/domain/talos';
import { toEtcdAlarm } from '../to-domain';
import type { TalosClient } from '../client';

const empty = Empty.fromPartial({});
/** etcd maintenance (control planes only): snapshot, defragment, alarms, leadership and membership, bootstrap. */
export class EtcdOpsCalls {
  constructor(private readonly client: TalosClient) {}

  /**
   * `talosctl etcd snapshot <path>` (os:etcd:backup may do it): streams into `<path>.part`, fsyncs, checks that the
   * size is a whole number of 512-byte blocks plus the 32-byte SHA-256 trailer and that the trailer matches,
   * then renames. Nothing is left at `path` (or `.part`) on failure or cancel.
   */
  async snapshot(node: string, path: string, onProgress?: (bytes: number) => void, signal?: AbortSignal): Promise<EtcdSnapshotResult> {
    const part = `${path}.part`;
    const file = await open(part, 'wx', 0o600);
    const fileHash = createHash('sha256');
    const dbHash = createHash('sha256');
    let tail = Buffer.alloc(0);
    let size = 0;
    let writing = Promise.resolve();
    let pending: Buffer[] = [];
    let pendingSize = 0;
    const flush = () => {
      const batch = Buffer.concat(pending);
      pending = [];
      pendingSize = 0;
      writing = writing.then(async () => {
        await file.write(batch);
      });
    };
    try {
      await this.client.connection.stream(
        M.etcdSnapshot,
        {},
        node,
        (message) => {
          const bytes = Buffer.from(message.bytes);
          size += bytes.length;
          fileHash.update(bytes);
          // The last 32 bytes are the trailer: hash everything before them as the database.
          const joined = Buffer.concat([tail, bytes]);
          const keep = Math.min(32, joined.length);
          dbHash.update(joined.subarray(0, joined.length - keep));
          tail = Buffer.from(joined.subarray(joined.length - keep));
          // Write in batches: one write per 1 KiB message would dominate the download.
          pending.push(bytes);
          pendingSize += bytes.length;
          if (pendingSize >= 256 * 1024) flush();
          onProgress?.(size);
        },
        signal,
      );
      flush();
      await writing;
      await file.sync();
      await file.close();
      if (size % 512 !== 32)
        throw new AppError(
          'INTERNAL',
          `The snapshot from ${node} is ${size} bytes, not whole 512-byte blocks plus a 32-byte hash; it is incomplete.`,
        );
      const db = dbHash.digest('hex');
      if (tail.toString('hex') !== db)
        throw new AppError(
          'INTERNAL',
          `The snapshot from ${node} does not match its own SHA-256; it was corrupted on the way. Take it again.`,
        );
      await rename(part, path);
      return { path, sizeBytes: size, fileSha256: fileHash.digest('hex'), dbSha256: db };
    } catch (error) {
      await writing.catch(() => undefined);
      await file.close().catch(() => undefined);
      await rm(part, { force: true });
      throw error;
    }
  }

  /**
   * The same snapshot as a stream of chunks for any sink (a file on desktop, the page in browser mode). Resolves with
   * the database's SHA-256 once the 32-byte trailer matched; throws when the size or the trailer is wrong, so the
   * sink must not keep what it got before that.
   */
  async snapshotChunks(
    node: string,
    onChunk: (bytes: Uint8Array) => void,
    signal?: AbortSignal,
  ): Promise<{ sizeBytes: number; dbSha256: string }> {
    const dbHash = createHash('sha256');
    let tail = Buffer.alloc(0);
    let size = 0;
    await this.client.connection.stream(
      M.etcdSnapshot,
      {},
      node,
      (message) => {
        const bytes = Buffer.from(message.bytes);
        size += bytes.length;
        const joined = Buffer.concat([tail, bytes]);
        const keep = Math.min(32, joined.length);
        dbHash.update(joined.subarray(0, joined.length - keep));
        tail = Buffer.from(joined.subarray(joined.length - keep));
        onChunk(bytes);
      },
      signal,
    );
    if (signal?.aborted) return { sizeBytes: size, dbSha256: '' };
    if (size % 512 !== 32)
      throw new AppError(
        'INTERNAL',
        `The snapshot from ${node} is ${size} bytes, not whole 512-byte blocks plus a 32-byte hash; it is incomplete.`,
      );
    const db = dbHash.digest('hex');
    if (tail.toString('hex') !== db)
      throw new AppError(
        'INTERNAL',
        `The snapshot from ${node} does not match its own SHA-256; it was corrupted on the way. Take it again.`,
      );
    return { sizeBytes: size, dbSha256: db };
  }

  /** `talosctl etcd defrag`: blocks that member while it runs; run it on one member at a time. */
  async defragment(node: string): Promise<void> {
    await this.client.connection.unary(M.etcdDefragment, empty, node, { timeoutMs: 10 * 60_000 });
  }

  /** `talosctl etcd alarm disarm`: disarms every alarm in the cluster and returns those it disarmed. */
  async alarmDisarm(node: string): Promise<NonNullable<TalosEtcd['alarms']>> {
    const response = await this.client.connection.unary(M.etcdAlarmDisarm, empty, node);
    return (response.messages[0]?.memberAlarms ?? []).map(toEtcdAlarm);
  }

  /** `talosctl etcd forfeit-leadership`: the new leader's name, or null when this member was not the leader. */
  async forfeitLeadership(node: string): Promise<string | null> {
    const response = await this.client.connection.unary(M.etcdForfeitLeadership, {}, node);
    return response.messages[0]?.member || null;
  }

  /** `talosctl etcd leave`: removes this node's member, stops etcd there and empties its data directory. */
  async leaveCluster(node: string): Promise<void> {
    await this.client.connection.unary(M.etcdLeaveCluster, {}, node, { timeoutMs: 5 * 60_000 });
  }

  /** `talosctl etcd remove-member <id>` with the hex ID talosctl prints; for members whose node is gone. */
  async removeMemberById(node: string, hexId: string): Promise<void> {
    const parsed = etcdMemberIdSchema.safeParse(hexId);
    if (!parsed.success) throw new AppError('VALIDATION', `"${hexId}": ${parsed.error.issues[0]?.message ?? 'not a member ID'}.`);
    await this.client.connection.unary(M.etcdRemoveMemberById, { memberId: BigInt(`0x${parsed.data}`).toString() }, node);
  }

  /** `talosctl bootstrap`: starts etcd on one control plane of a fresh cluster (AlreadyExists once it has data). */
  async bootstrap(node: string, options: { recoverEtcd?: boolean; skipHashCheck?: boolean } = {}): Promise<void> {
    await this.client.connection.unary(
      M.bootstrap,
      { recoverEtcd: options.recoverEtcd ?? false, recoverSkipHashCheck: options.skipHashCheck ?? false },
      node,
    );
  }
}
