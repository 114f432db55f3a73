import { gzipSync } from 'node:zlib';

/** One archive member, as Talos' archiver (Go archive/tar) writes it. */
export interface TarEntry {
  /** Relative name; directories end with `/`. */
  name: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits. */
  mode: number;
  uid: number;
  gid: number;
  /** Modification time in ms since the epoch. */
  modified: number;
  content?: Buffer;
  linkname?: string;
}

const BLOCK = 512;

function octal(buf: Buffer, value: number, at: number, width: number): void {
  buf.write(value.toString(8).padStart(width - 1, '0') + '\0', at, width, 'ascii');
}

function header(
  name: string,
  e: Pick<TarEntry, 'mode' | 'uid' | 'gid' | 'modified'>,
  size: number,
  flag: string,
  linkname = '',
  prefix = '',
): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  octal(h, e.mode & 0o7777, 100, 8);
  octal(h, e.uid, 108, 8);
  octal(h, e.gid, 116, 8);
  octal(h, size, 124, 12);
  octal(h, Math.floor(e.modified / 1000), 136, 12);
  h.write('        ', 148, 8, 'ascii');
  h.write(flag, 156, 1, 'ascii');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 8, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

const pad = (n: number) => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** Splits a long name into USTAR prefix/name at a `/`, or null when it cannot fit. */
function split(name: string): [string, string] | null {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest) return [prefix, rest];
  }
  return null;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/** A tar stream of the entries; `close` adds the two zero blocks that end an archive. */
export function tar(entries: TarEntry[], close = true): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const flag = e.type === 'dir' ? '5' : e.type === 'symlink' ? '2' : '0';
    const content = e.type === 'file' ? (e.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const names = split(e.name);
    if (!names) {
      const pax = Buffer.from(paxRecord('path', e.name));
      parts.push(header(`PaxHeaders.0/${e.name.slice(-80)}`.slice(0, 99), e, pax.length, 'x'), pax, pad(pax.length));
    }
    const [prefix, name] = names ?? ['', e.name.slice(0, 99)];
    parts.push(header(name, e, content.length, flag, e.linkname ?? '', prefix), content, pad(content.length));
  }
  if (close) parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export const tarGz = (entries: TarEntry[], close = true) => gzipSync(tar(entries, close));
