import { describe, expect, it } from 'vitest';
import { LineAssembler } from './line-assembler';

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
});
