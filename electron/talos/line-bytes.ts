/** Whole lines as the bytes that came off the wire: each line ends with "\n" (0x0A). */
export interface LineBytesChunk {
  bytes: Uint8Array;
  lines: number;
}

const NL = 0x0a;

/** Lines ("\n") in a byte range, counted natively (the same loop a raw reader of the stream runs). */
export function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, i + 1)) count++;
  return count;
}

/**
 * Cuts `common.Data` chunks (1 KiB, not aligned to lines) into whole lines without decoding them: the
 * bytes up to the last "\n" go on, the rest waits for the next chunk. "\n" never occurs inside a multi-byte
 * UTF-8 sequence, so a character split across chunks stays whole. `flush` ends a last line without "\n".
 */
export class LineBytes {
  private carry: Uint8Array | null = null;

  push(chunk: Uint8Array): LineBytesChunk | null {
    const last = chunk.lastIndexOf(NL);
    if (last === -1) {
      this.carry = this.carry ? concat(this.carry, chunk) : chunk.slice();
      return null;
    }
    const head = chunk.subarray(0, last + 1);
    const lines = countLines(head);
    const bytes = this.carry ? concat(this.carry, head) : head;
    this.carry = last + 1 < chunk.length ? chunk.slice(last + 1) : null;
    return { bytes, lines };
  }

  flush(): LineBytesChunk | null {
    const rest = this.carry;
    this.carry = null;
    if (!rest || rest.length === 0) return null;
    const bytes = new Uint8Array(rest.length + 1);
    bytes.set(rest);
    bytes[rest.length] = NL;
    return { bytes, lines: 1 };
  }

  /** Drops a partial line (after a reconnect the server resends whole lines). */
  reset(): void {
    this.carry = null;
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The last `n` lines of a chunk, decoded (to recognise where a replay after a reconnect catches up). */
export function lastLines(chunk: LineBytesChunk, n: number): string[] {
  if (n <= 0 || chunk.lines === 0) return [];
  const end = chunk.bytes.length - 1; // the final "\n"
  let start = 0;
  let at = end;
  for (let found = 0; found < n; found++) {
    const nl = at > 0 ? chunk.bytes.lastIndexOf(NL, at - 1) : -1;
    if (nl === -1) {
      start = 0;
      break;
    }
    at = nl;
    start = nl + 1;
  }
  return new TextDecoder().decode(chunk.bytes.subarray(start, end)).split('\n');
}

/** Counting and (only after a reconnect) decoding byte chunks, for a follower (see LineCodec in services). */
export const BYTE_LINES = {
  count: (chunk: LineBytesChunk): number => chunk.lines,
  decode: (chunk: LineBytesChunk): string[] =>
    chunk.lines ? new TextDecoder().decode(chunk.bytes.subarray(0, chunk.bytes.length - 1)).split('\n') : [],
  encode: (lines: string[]): LineBytesChunk => ({
    bytes: new TextEncoder().encode(lines.map((l) => `${l}\n`).join('')),
    lines: lines.length,
  }),
};
