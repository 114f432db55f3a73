import { createHash } from 'node:crypto';

/**
 * A minimal bbolt database file, the format etcd keeps its data in: two meta pages, a freelist, a root
 * leaf naming each bucket and one leaf page (with overflow pages when large) per bucket. It is what
 * `etcdutl snapshot status` can read: buckets, keys, the revision of the newest `key` entry.
 */
export const PAGE_SIZE = 4096;
const MAGIC = 0xed0cdaed;
const FLAG_LEAF = 0x02;
const FLAG_META = 0x04;
const FLAG_FREELIST = 0x10;
const BUCKET_LEAF = 0x01;

export type Bucket = { name: string; entries: [Buffer, Buffer][] };

function fnv64a(bytes: Buffer): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

/** A leaf node: 16-byte header, 16-byte element headers, then keys and values; `pos` is relative to each element. */
function leaf(id: number, entries: [Buffer, Buffer, number][]): Buffer {
  const body = 16 + entries.length * 16 + entries.reduce((n, [k, v]) => n + k.length + v.length, 0);
  const pages = Math.max(1, Math.ceil(body / PAGE_SIZE));
  const page = Buffer.alloc(pages * PAGE_SIZE);
  page.writeBigUInt64LE(BigInt(id), 0);
  page.writeUInt16LE(FLAG_LEAF, 8);
  page.writeUInt16LE(entries.length, 10);
  page.writeUInt32LE(pages - 1, 12);
  let data = 16 + entries.length * 16;
  entries.forEach(([key, value, flags], i) => {
    const at = 16 + i * 16;
    page.writeUInt32LE(flags, at);
    page.writeUInt32LE(data - at, at + 4);
    page.writeUInt32LE(key.length, at + 8);
    page.writeUInt32LE(value.length, at + 12);
    key.copy(page, data);
    value.copy(page, data + key.length);
    data += key.length + value.length;
  });
  return page;
}

function meta(id: number, rootPage: number, freelistPage: number, highWater: number, txid: number): Buffer {
  const page = Buffer.alloc(PAGE_SIZE);
  page.writeBigUInt64LE(BigInt(id), 0);
  page.writeUInt16LE(FLAG_META, 8);
  const m = 16;
  page.writeUInt32LE(MAGIC, m);
  page.writeUInt32LE(2, m + 4);
  page.writeUInt32LE(PAGE_SIZE, m + 8);
  page.writeUInt32LE(0, m + 12);
  page.writeBigUInt64LE(BigInt(rootPage), m + 16);
  page.writeBigUInt64LE(0n, m + 24);
  page.writeBigUInt64LE(BigInt(freelistPage), m + 32);
  page.writeBigUInt64LE(BigInt(highWater), m + 40);
  page.writeBigUInt64LE(BigInt(txid), m + 48);
  page.writeBigUInt64LE(fnv64a(page.subarray(m, m + 56)), m + 56);
  return page;
}

function freelist(id: number, free: number[], pages: number): Buffer {
  const overflowCount = free.length >= 0xffff;
  const page = Buffer.alloc(pages * PAGE_SIZE);
  page.writeBigUInt64LE(BigInt(id), 0);
  page.writeUInt16LE(FLAG_FREELIST, 8);
  page.writeUInt16LE(overflowCount ? 0xffff : free.length, 10);
  page.writeUInt32LE(pages - 1, 12);
  let at = 16;
  if (overflowCount) {
    page.writeBigUInt64LE(BigInt(free.length), at);
    at += 8;
  }
  for (const pgid of free) {
    page.writeBigUInt64LE(BigInt(pgid), at);
    at += 8;
  }
  return page;
}

/**
 * Writes the buckets (sorted, as bbolt keeps them) and pads with free pages up to `minPages`,
 * so the file is as large as the database it stands for. Returns the file, its size a multiple of 4096.
 */
export function buildBbolt(buckets: Bucket[], minPages: number, txid: number): Buffer {
  const sorted = [...buckets].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  // Page ids: 0,1 meta; 2.. freelist (size known later); then root leaf; then bucket leaves.
  const bucketLeaves: Buffer[] = [];
  const freePagesGuess = Math.max(0, minPages);
  const freelistPages = Math.max(1, Math.ceil((16 + 8 + freePagesGuess * 8) / PAGE_SIZE));
  let next = 2 + freelistPages;
  const rootId = next;
  const rootEntries: [Buffer, Buffer, number][] = [];
  const rootSize = 16 + sorted.length * 16 + sorted.reduce((n, b) => n + b.name.length + 16, 0);
  next += Math.max(1, Math.ceil(rootSize / PAGE_SIZE));
  for (const bucket of sorted) {
    const entries = [...bucket.entries].sort((a, b) => Buffer.compare(a[0], b[0])).map(([k, v]) => [k, v, 0] as [Buffer, Buffer, number]);
    const page = leaf(next, entries);
    const header = Buffer.alloc(16);
    header.writeBigUInt64LE(BigInt(next), 0);
    rootEntries.push([Buffer.from(bucket.name), header, BUCKET_LEAF]);
    bucketLeaves.push(page);
    next += page.length / PAGE_SIZE;
  }
  const used = next;
  const total = Math.max(used, minPages);
  const free = Array.from({ length: total - used }, (_v, i) => used + i);
  return Buffer.concat([
    meta(0, rootId, 2, total, txid - 1),
    meta(1, rootId, 2, total, txid),
    freelist(2, free, freelistPages),
    leaf(rootId, rootEntries),
    ...bucketLeaves,
    Buffer.alloc(free.length * PAGE_SIZE),
  ]);
}

/** etcd's snapshot stream: the database, then the SHA-256 of it (32 bytes). */
export function withSnapshotHash(db: Buffer): Buffer {
  return Buffer.concat([db, createHash('sha256').update(db).digest()]);
}
