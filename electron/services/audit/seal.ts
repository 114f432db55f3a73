import { createHmac, timingSafeEqual } from 'node:crypto';

/** A point in the current segment: how many entries it holds and the hash of the last one. */
export interface SealPoint {
  count: number;
  head: string;
}

/**
 * The seal commits, under a key derived from the vault, to the current segment's number, its entry count
 * and its head hash. `pending` is the point an append in progress will reach: a crash between the two seal
 * writes of an append leaves the file at one of the two points, both authenticated.
 */
export interface Seal extends SealPoint {
  version: 2;
  segment: number;
  /** Leading entries of the segment written before entries carried a MAC (a trail from an older version). */
  unsigned: number;
  pending: SealPoint | null;
  hmac: string;
}

export type SealContent = Omit<Seal, 'hmac' | 'version'>;

function mac(key: Buffer, s: SealContent): Buffer {
  const pending = s.pending ? `${s.pending.count}:${s.pending.head}` : '-';
  return createHmac('sha256', key)
    .update(`nodeglass-audit-seal\nv2\n${s.segment}\n${s.count}:${s.head}\n${pending}\n${s.unsigned}`)
    .digest();
}

export function makeSeal(key: Buffer, content: SealContent): Seal {
  return { version: 2, ...content, hmac: mac(key, content).toString('hex') };
}

const isPoint = (v: unknown): v is SealPoint =>
  !!v && typeof v === 'object' && Number.isInteger((v as SealPoint).count) && typeof (v as SealPoint).head === 'string';

/**
 * Reads a seal file's JSON. Seals written before segments existed (`{count, head, hmac}` over "count:head")
 * are read as segment 1. Returns null for anything that is not a seal.
 */
export function parseSeal(text: string): (Seal & { legacy: boolean }) | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPoint(value) || typeof (value as Seal).hmac !== 'string') return null;
  const v = value as Partial<Seal> & SealPoint & { hmac: string };
  if (v.version === undefined)
    return { version: 2, segment: 1, count: v.count, head: v.head, unsigned: v.count, pending: null, hmac: v.hmac, legacy: true };
  if (v.version !== 2 || !Number.isInteger(v.segment) || !Number.isInteger(v.unsigned) || (v.pending !== null && !isPoint(v.pending)))
    return null;
  return {
    version: 2,
    segment: v.segment!,
    count: v.count,
    head: v.head,
    unsigned: v.unsigned!,
    pending: v.pending ?? null,
    hmac: v.hmac,
    legacy: false,
  };
}

/** Whether the seal was made with this key (constant-time). */
export function sealIsAuthentic(key: Buffer, seal: Seal & { legacy?: boolean }): boolean {
  const expected = seal.legacy ? createHmac('sha256', key).update(`${seal.count}:${seal.head}`).digest() : mac(key, seal);
  const given = Buffer.from(seal.hmac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
