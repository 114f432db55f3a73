import { describe, expect, it } from 'vitest';
import { LineAssembler, MAX_LINE_CHARS, truncationMark } from './line-assembler';

describe('LineAssembler', () => {
  it('joins lines split across chunks and keeps a final line without newline', () => {
    const a = new LineAssembler();
    expect(a.push(Buffer.from('first li'))).toEqual([]);
    expect(a.push(Buffer.from('ne\nsecond\nthi'))).toEqual(['first line', 'second']);
    expect(a.flush()).toEqual(['thi']);
  });

  it('decodes a multibyte character split across chunks', () => {
    const bytes = Buffer.from('µs → ok\n');
    const a = new LineAssembler();
    const out = [...a.push(bytes.subarray(0, 1)), ...a.push(bytes.subarray(1, 5)), ...a.push(bytes.subarray(5))];
    expect(out).toEqual(['µs → ok']);
  });

  it('keeps empty lines and a line that ends exactly at a chunk boundary', () => {
    const a = new LineAssembler();
    expect(a.push(Buffer.from('a\n\nb'))).toEqual(['a', '']);
    expect(a.push(Buffer.from('\n'))).toEqual(['b']);
    expect(a.flush()).toEqual([]);
  });

  it('caps a 4 MiB line arriving in 1 KiB chunks at 256 KiB and marks it, then goes on with the next line', () => {
    const a = new LineAssembler();
    const chunk = Buffer.alloc(1024, 'x');
    const out: string[] = [];
    for (let i = 0; i < 4096; i++) out.push(...a.push(chunk));
    out.push(...a.push(Buffer.from('\nnext\n')));
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('x'.repeat(MAX_LINE_CHARS) + truncationMark(4 * 1024 * 1024));
    expect(out[1]).toBe('next');
  });

  it('marks a cut-off last line that was too long when the stream ends', () => {
    const a = new LineAssembler();
    a.push(Buffer.alloc(MAX_LINE_CHARS + 10, 'y'));
    expect(a.flush()).toEqual(['y'.repeat(MAX_LINE_CHARS) + truncationMark(MAX_LINE_CHARS + 10)]);
  });

  it('forgets a partial line on reset', () => {
    const a = new LineAssembler();
    a.push(Buffer.from('half a li'));
    a.reset();
    expect(a.push(Buffer.from('whole\n'))).toEqual(['whole']);
  });
});
