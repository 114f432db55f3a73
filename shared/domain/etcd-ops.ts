import { z } from 'zod';

/** What `talosctl etcd snapshot <path>` leaves behind: the file (database + SHA-256 trailer) and its checks. */
export const etcdSnapshotResultSchema = z.object({
  path: z.string(),
  /** The whole file, trailer included (what etcdutl restores from). */
  sizeBytes: z.number(),
  /** SHA-256 of the whole file, for the operator's records. */
  fileSha256: z.string(),
  /** The 32-byte trailer etcd appends: the SHA-256 of the database part, verified on download. */
  dbSha256: z.string(),
});
export type EtcdSnapshotResult = z.infer<typeof etcdSnapshotResultSchema>;

/** A member ID as talosctl prints it (hex, up to 16 digits); `0x` prefixes are accepted. */
export const etcdMemberIdSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/^0x/i, '').toLowerCase())
  .refine((s) => /^[0-9a-f]{1,16}$/.test(s), 'an etcd member ID is up to 16 hex digits, as `talosctl etcd members` prints it');
