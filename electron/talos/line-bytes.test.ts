import { describe, expect, it } from 'vitest';
import { countLines, lastLines, LineBytes } from './line-bytes';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('LineBytes', () => {
  it('passes on whole lines as bytes and carries a partial line, even one split inside a character', () => {
    const wire = utf8('first line\nsecond ünïcödé line\nthird\n');
    const cut = wire.indexOf(0xc3) + 1; // inside the two bytes of "ü"
    const lines = new LineBytes();
    const a = lines.push(wire.subarray(0, cut));
    const b = lines.push(wire.subarray(cut, cut + 3));
    const c = lines.push(wire.subarray(cut + 3));
    expect(a && text(a.bytes)).toBe('first line\n');
    expect(a?.lines).toBe(1);
    expect(b).toBeNull();
    expect(c && text(c.bytes)).toBe('second ünïcödé line\nthird\n');
    expect(c?.lines).toBe(2);
    expect(lines.flush()).toBeNull();
  });

  it('ends a last line without a newline when the stream ends, and drops it on reset', () => {
    const lines = new LineBytes();
    expect(lines.push(utf8('a\nno newline'))?.lines).toBe(1);
    const rest = lines.flush();
    expect(rest && text(rest.bytes)).toBe('no newline\n');
    lines.push(utf8('partial'));
    lines.reset();
    expect(text(lines.push(utf8('whole\n'))!.bytes)).toBe('whole\n');
  });

  it('counts lines and decodes only the last few', () => {
    const chunk = { bytes: utf8('1\n2\n3\n4\n'), lines: 4 };
    expect(countLines(chunk.bytes)).toBe(4);
    expect(lastLines(chunk, 2)).toEqual(['3', '4']);
    expect(lastLines(chunk, 9)).toEqual(['1', '2', '3', '4']);
    expect(lastLines({ bytes: utf8('\n\n'), lines: 2 }, 1)).toEqual(['']);
    expect(lastLines(chunk, 0)).toEqual([]);
  });
});
