import { describe, expect, it } from 'vitest';
import { decodeLogFrame, encodeLogFrame, LogFrameError, logFrameStreamId } from './log-frame';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('log frames', () => {
  it('carry batches of UTF-8 lines with their counts, and round-trip', () => {
    const buffer = encodeLogFrame({
      streamId: 'logs-1a2b3c4d',
      batches: [
        { key: '10.5.0.2|service|kubelet', arrivedAt: 1_700_000_000_123.5, lines: 2, dropped: 0, text: utf8('{"ts":1}\nzweite Zeile ü') },
        { key: '10.5.0.3|kernel|kernel', arrivedAt: 1, lines: 0, dropped: 42, text: new Uint8Array(0) },
      ],
    });
    expect(logFrameStreamId(buffer)).toBe('logs-1a2b3c4d');
    const frame = decodeLogFrame(buffer);
    expect(frame.streamId).toBe('logs-1a2b3c4d');
    expect(frame.batches.map((b) => ({ ...b, text: new TextDecoder().decode(b.text) }))).toEqual([
      { key: '10.5.0.2|service|kubelet', arrivedAt: 1_700_000_000_123.5, lines: 2, dropped: 0, text: '{"ts":1}\nzweite Zeile ü' },
      { key: '10.5.0.3|kernel|kernel', arrivedAt: 1, lines: 0, dropped: 42, text: '' },
    ]);
  });

  it('writes a batch given in parts as the same bytes as the whole text', () => {
    const whole = encodeLogFrame({ streamId: 's', batches: [{ key: 'k', arrivedAt: 5, lines: 3, dropped: 1, text: utf8('a\nbü\nc') }] });
    const text = utf8('a\nbü\nc');
    const parts = [text.subarray(0, 3), text.subarray(3, 3), text.subarray(3, 4), text.subarray(4)];
    const inParts = encodeLogFrame({ streamId: 's', batches: [{ key: 'k', arrivedAt: 5, lines: 3, dropped: 1, text: parts }] });
    expect(new Uint8Array(inParts)).toEqual(new Uint8Array(whole));
    expect(new TextDecoder().decode(decodeLogFrame(inParts).batches[0]!.text)).toBe('a\nbü\nc');
  });

  it('refuses what is not a whole frame', () => {
    const buffer = encodeLogFrame({ streamId: 's', batches: [{ key: 'k', arrivedAt: 0, lines: 1, dropped: 0, text: utf8('x') }] });
    expect(() => decodeLogFrame(buffer.slice(0, buffer.byteLength - 1))).toThrow(LogFrameError);
    expect(() => decodeLogFrame(new Uint8Array([...new Uint8Array(buffer), 0]))).toThrow(/trailing/);
    expect(() => decodeLogFrame(utf8('{"event":"x"}'))).toThrow(/not a log frame/);
    expect(() => logFrameStreamId(new ArrayBuffer(3))).toThrow(LogFrameError);
  });
});
