/**
 * How log batches cross from the host to the renderer's log worker: binary, not JSON. A frame holds the
 * batches of one stream, each one part (node and source) with its lines as UTF-8 bytes joined by "\n".
 * Every string is length-prefixed; numbers are little-endian. The host copies the bytes as they came off
 * the wire and never decodes a line; the worker decodes each batch's text once.
 *
 *   frame  = u32 MAGIC, u16 streamId length, streamId, u16 batch count, batch*
 *   batch  = u16 key length, key, f64 arrivedAt, u32 lines, u32 dropped, u32 text length, text
 *
 * `dropped` counts lines the host let go just before this batch because the viewer fell further behind than
 * its buffer holds; the viewer marks the place.
 */
export const LOG_FRAME_MAGIC = 0x314c474e; // "NGL1"

export interface LogBatch {
  key: string;
  arrivedAt: number;
  lines: number;
  dropped: number;
  /** UTF-8 lines joined by "\n", without a final "\n"; empty when `lines` is 0. */
  text: Uint8Array;
}

export interface LogFrame {
  streamId: string;
  batches: LogBatch[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
const MAX_SHORT = 0xffff;

function short(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length > MAX_SHORT) throw new RangeError('log frame: a stream id or key is longer than 65,535 bytes');
  return bytes;
}

/** A batch to encode: its text may come in parts (the wire chunks it was held as), copied once into the frame. */
export type LogBatchInput = Omit<LogBatch, 'text'> & { text: Uint8Array | readonly Uint8Array[] };

const partsOf = (text: LogBatchInput['text']): readonly Uint8Array[] =>
  ArrayBuffer.isView(text) ? [text as Uint8Array] : (text as readonly Uint8Array[]);
const lengthOf = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);

/** One frame in one ArrayBuffer, ready to be transferred. */
export function encodeLogFrame(frame: { streamId: string; batches: readonly LogBatchInput[] }): ArrayBuffer {
  const id = short(frame.streamId);
  const keys = frame.batches.map((b) => short(b.key));
  const texts = frame.batches.map((b) => partsOf(b.text));
  if (frame.batches.length > MAX_SHORT) throw new RangeError('log frame: more than 65,535 batches');
  let size = 4 + 2 + id.length + 2;
  texts.forEach((parts, i) => (size += 2 + keys[i]!.length + 8 + 4 + 4 + 4 + lengthOf(parts)));
  const buffer = new ArrayBuffer(size);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  let at = 0;
  const putShort = (s: Uint8Array) => {
    view.setUint16(at, s.length, true);
    bytes.set(s, at + 2);
    at += 2 + s.length;
  };
  view.setUint32(at, LOG_FRAME_MAGIC, true);
  at += 4;
  putShort(id);
  view.setUint16(at, frame.batches.length, true);
  at += 2;
  frame.batches.forEach((b, i) => {
    putShort(keys[i]!);
    view.setFloat64(at, b.arrivedAt, true);
    view.setUint32(at + 8, b.lines, true);
    view.setUint32(at + 12, b.dropped, true);
    at += 20;
    const start = at;
    for (const part of texts[i]!) {
      bytes.set(part, at);
      at += part.length;
    }
    view.setUint32(start - 4, at - start, true);
  });
  return buffer;
}

export class LogFrameError extends Error {}

/** Reads a frame; the batches' text views share the frame's buffer. Throws LogFrameError on a malformed frame. */
export function decodeLogFrame(buffer: ArrayBuffer | Uint8Array): LogFrame {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new LogFrameError('log frame: truncated');
  };
  const getShort = () => {
    need(2);
    const length = view.getUint16(at, true);
    need(2 + length);
    const text = decoder.decode(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
    return text;
  };
  need(4);
  if (view.getUint32(0, true) !== LOG_FRAME_MAGIC) throw new LogFrameError('log frame: not a log frame');
  at = 4;
  const streamId = getShort();
  need(2);
  const count = view.getUint16(at, true);
  at += 2;
  const batches: LogBatch[] = [];
  for (let i = 0; i < count; i++) {
    const key = getShort();
    need(20);
    const arrivedAt = view.getFloat64(at, true);
    const lines = view.getUint32(at + 8, true);
    const dropped = view.getUint32(at + 12, true);
    const length = view.getUint32(at + 16, true);
    at += 20;
    need(length);
    batches.push({ key, arrivedAt, lines, dropped, text: bytes.subarray(at, at + length) });
    at += length;
  }
  if (at !== bytes.length) throw new LogFrameError('log frame: trailing bytes');
  return { streamId, batches };
}

/** The stream a frame belongs to, read without decoding the rest (to route it to its worker). */
export function logFrameStreamId(buffer: ArrayBuffer): string {
  const view = new DataView(buffer);
  if (buffer.byteLength < 6 || view.getUint32(0, true) !== LOG_FRAME_MAGIC) throw new LogFrameError('log frame: not a log frame');
  const length = view.getUint16(4, true);
  if (6 + length > buffer.byteLength) throw new LogFrameError('log frame: truncated');
  return decoder.decode(new Uint8Array(buffer, 6, length));
}

/** The most frames one acknowledgement may cover (the host never has more than a few in flight). */
const MAX_ACK = 1000;

/**
 * The frame count of a log worker's acknowledgement, `{ "ack": n }` with n a whole number from 1 to 1,000;
 * null for anything else (the host then closes the channel it came on).
 */
export function logAckFrames(message: unknown): number | null {
  if (!message || typeof message !== 'object' || Object.keys(message).length !== 1) return null;
  const n = (message as { ack?: unknown }).ack;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= MAX_ACK ? n : null;
}
