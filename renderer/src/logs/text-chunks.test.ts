import { describe, expect, it } from 'vitest';
import { TextChunks } from './text-chunks';

const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => `line ${from + i}`);

describe('TextChunks.add', () => {
  it('finds every line of a batch of any size, and of the smaller batches after it', () => {
    const chunks = new TextChunks();
    const big = chunks.add(batch(0, 10_000).join('\n'));
    const small = chunks.add(batch(10_000, 3).join('\n'));
    const single = chunks.add('alone');
    expect(chunks.get(big).count).toBe(10_000);
    expect([0, 4095, 4096, 8191, 8192, 9999].map((i) => chunks.line(big, i))).toEqual(
      [0, 4095, 4096, 8191, 8192, 9999].map((i) => `line ${i}`),
    );
    expect([0, 1, 2].map((i) => chunks.line(small, i))).toEqual(batch(10_000, 3));
    expect(chunks.get(single).count).toBe(1);
    expect(chunks.line(single, 0)).toBe('alone');
  });

  it('keeps empty lines', () => {
    const chunks = new TextChunks();
    const id = chunks.add('a\n\nb\n');
    expect([0, 1, 2, 3].map((i) => chunks.line(id, i))).toEqual(['a', '', 'b', '']);
  });
});
