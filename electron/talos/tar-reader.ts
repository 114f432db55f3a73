import { gunzipSync } from 'node:zlib';

/** A member of a tar archive as Talos' Copy and Kubeconfig produce them (Go archive/tar, USTAR or PAX). */
export interface TarMember {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  modified: number;
  content?: Buffer;
  linkname?: string;
}

const BLOCK = 512;

/** Reads the members of an (uncompressed) tar; tolerates a missing end-of-archive marker. */
export function untar(buf: Buffer): TarMember[] {
  const out: TarMember[] = [];
  let at = 0;
  let longName: string | null = null;
  while (at + BLOCK <= buf.length) {
    const h = buf.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const str = (from: number, len: number) =>
      h
        .subarray(from, from + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const num = (from: number, len: number) => parseInt(str(from, len).trim() || '0', 8);
    const size = num(124, 12);
    const flag = str(156, 1);
    const data = buf.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (flag === 'x') {
      longName = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1] ?? null;
      continue;
    }
    const prefix = str(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    out.push({
      name,
      type: flag === '5' ? 'dir' : flag === '2' ? 'symlink' : flag === '0' || flag === '' ? 'file' : 'other',
      mode: num(100, 8),
      uid: num(108, 8),
      gid: num(116, 8),
      modified: num(136, 12) * 1000,
      ...(flag === '2' ? { linkname: str(157, 100) } : { content: Buffer.from(data) }),
    });
  }
  return out;
}

/** A .tar.gz in memory; a truncated or corrupt archive is an error naming what is wrong. */
export function untarGz(gz: Buffer): TarMember[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a stream cut short */ });
  } catch (error) {
    throw new Error(`not a gzip stream (${(error as Error).message})`);
  }
  return untar(tar);
}
