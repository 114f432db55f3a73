/**
 * Reads an etcd snapshot (a bbolt file, optionally with etcd's 32-byte SHA-256 trailer) the way
 * `etcdutl snapshot status` does, for the line talosctl prints after `etcd snapshot`:
 * hash (CRC-32C over bucket names, keys and values), revision (of the newest `key` entry), total keys, size.
 */
export interface SnapshotStatus {
  hash: number;
  revision: number;
  totalKeys: number;
  totalSize: number;
}

const MAGIC = 0xed0cdaed;
const BRANCH = 0x01;
const LEAF = 0x02;
const BUCKET_LEAF = 0x01;

const CRC32C = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (const byte of bytes) c = CRC32C[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

class Bolt {
  readonly pageSize: number;
  readonly root: bigint;

  constructor(readonly buf: Buffer) {
    const metas = [0, 1].map((i) => this.meta(i * (buf.readUInt32LE(16 + 8) || 4096))).filter((m) => m !== null);
    const best = metas.sort((a, b) => Number(b!.txid - a!.txid))[0];
    if (!best) throw new Error('not a bbolt database (no valid meta page)');
    this.pageSize = best.pageSize;
    this.root = best.root;
  }

  private meta(offset: number): { pageSize: number; root: bigint; txid: bigint } | null {
    const m = offset + 16;
    if (m + 64 > this.buf.length || this.buf.readUInt32LE(m) !== MAGIC) return null;
    return { pageSize: this.buf.readUInt32LE(m + 8), root: this.buf.readBigUInt64LE(m + 16), txid: this.buf.readBigUInt64LE(m + 48) };
  }

  /** Every key/value of the b+tree rooted at `page` (or an inline page at `offset`), in order. */
  *entries(page: bigint | null, offset?: number): Generator<{ key: Buffer; value: Buffer; flags: number }> {
    const at = offset ?? Number(page!) * this.pageSize;
    if (at + 16 > this.buf.length) throw new Error(`page ${String(page)} lies past the end of the file`);
    const flags = this.buf.readUInt16LE(at + 8);
    const count = this.buf.readUInt16LE(at + 10);
    for (let i = 0; i < count; i++) {
      const el = at + 16 + i * (flags & BRANCH ? 16 : 16);
      if (flags & BRANCH) {
        yield* this.entries(this.buf.readBigUInt64LE(el + 8));
      } else if (flags & LEAF) {
        const pos = el + this.buf.readUInt32LE(el + 4);
        const ksize = this.buf.readUInt32LE(el + 8);
        const vsize = this.buf.readUInt32LE(el + 12);
        yield {
          flags: this.buf.readUInt32LE(el),
          key: this.buf.subarray(pos, pos + ksize),
          value: this.buf.subarray(pos + ksize, pos + ksize + vsize),
        };
      }
    }
  }
}

/** Status of a snapshot file's bytes; throws on a file that is not a bbolt database. */
export function snapshotStatus(file: Buffer): SnapshotStatus {
  const db = file.length % 512 === 32 ? file.subarray(0, file.length - 32) : file;
  const bolt = new Bolt(db);
  let hash = 0;
  let revision = 0;
  let totalKeys = 0;
  for (const bucket of bolt.entries(bolt.root)) {
    if (!(bucket.flags & BUCKET_LEAF)) continue;
    hash = crc32c(hash, bucket.key);
    const root = bucket.value.readBigUInt64LE(0);
    const inline = root === 0n ? bucket.value.byteOffset - db.byteOffset + 16 : undefined;
    const isKey = bucket.key.toString() === 'key';
    for (const e of bolt.entries(root === 0n ? null : root, inline)) {
      hash = crc32c(hash, e.key);
      hash = crc32c(hash, e.value);
      if (isKey && e.key.length >= 8) revision = Number(e.key.readBigUInt64BE(0));
      totalKeys++;
    }
  }
  return { hash, revision, totalKeys, totalSize: db.length };
}

/** talosctl's line: `Snapshot info: hash 1a2b3c4d, revision 4242, total keys 1234, total size 20971520`. */
export function formatSnapshotStatus(s: SnapshotStatus): string {
  return `Snapshot info: hash ${s.hash.toString(16).padStart(8, '0')}, revision ${s.revision}, total keys ${s.totalKeys}, total size ${s.totalSize}`;
}
