import { describe, expect, it } from 'vitest';
import { compileMatcher } from './line-matcher';
import { tuningText } from './regexp-tuning';

const countOf = (text: string, char: string) => text.split(char).length - 1;

describe('tuningText', () => {
  it('is long enough for V8 to compile at once, and any 128 characters of it have the frequencies of the logs', () => {
    const logs = ['aaab'.repeat(1000), 'abaa'.repeat(1000)];
    const text = tuningText(logs);
    expect(text.length).toBeGreaterThanOrEqual(1000);
    for (const from of [0, 77, text.length - 128]) {
      const window = text.slice(from, from + 128);
      expect(countOf(window, 'a')).toBe(96);
      expect(countOf(window, 'b')).toBe(32);
    }
  });

  it('samples every text it is given, not only the first', () => {
    const text = tuningText(['x'.repeat(4096), 'y'.repeat(4096)]).slice(0, 128);
    expect(countOf(text, 'x')).toBe(64);
    expect(countOf(text, 'y')).toBe(64);
  });

  it('keeps to Latin-1 characters (one wider character would make V8 compile for another string width)', () => {
    const text = tuningText(['日本語のログ line ✓ ok']);
    expect(text.length).toBeGreaterThanOrEqual(1000);
    expect([...text].every((c) => c.charCodeAt(0) < 256)).toBe(true);
    expect(text).toContain('l');
  });

  it('is empty when there is nothing to sample', () => {
    expect(tuningText([])).toBe('');
    expect(tuningText(['', '日本'])).toBe('');
  });
});

describe('a matcher tuned on the logs', () => {
  const lines = [
    '{"msg":"Kubelet version","v":0}',
    'E1129 unable to fetch pod log stats',
    'plain line',
    '{"msg":"ContainerStatus from runtime service failed"}',
  ];
  const block = lines.join('\n');
  const starts = Uint32Array.from(lines, (_, i) => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0));
  const hitsOf = (text: string, regex: boolean, tuning: string) => {
    const hits: number[] = [];
    compileMatcher(text, regex, false, tuning).scan(block, starts, lines.length, (line) => hits.push(line));
    return hits;
  };

  it('finds the same lines as an untuned one, including when the tuning text itself matches', () => {
    const tuning = tuningText([block]);
    for (const [text, regex] of [
      ['"msg":"(Kubelet version|ContainerStatus from runtime.*)"', true],
      ['UNABLE TO FETCH', false],
      ['l', false],
      ['^plain', true],
    ] as const) {
      expect(hitsOf(text, regex, tuning)).toEqual(hitsOf(text, regex, ''));
    }
    expect(hitsOf('"msg":"(Kubelet version|ContainerStatus from runtime.*)"', true, tuning)).toEqual([0, 3]);
    expect(hitsOf('l', false, 'l'.repeat(1000))).toEqual([0, 1, 2, 3]);
  });
});

describe('a matcher scanning a block', () => {
  it('reports the same lines as testing each line alone, wherever the matches fall', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const words = ['error', 'Error', 'ok', 'pod', 'x', '', 'ERROR:', 'a.b', 'warn'];
    const lines = Array.from({ length: 3000 }, () =>
      Array.from({ length: Math.floor(random() * 6) }, () => words[Math.floor(random() * words.length)]).join(' '),
    );
    const block = lines.join('\n');
    const starts = Uint32Array.from(lines, (_, i) => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0));
    for (const [text, regex] of [
      ['error', false],
      ['a.b', false],
      ['^ok', true],
      ['warn$', true],
      ['pod\\s+x', true],
      ['(?<=ok )pod', true],
      ['x(?= warn)', true],
    ] as const) {
      const matcher = compileMatcher(text, regex, false, tuningText([block]));
      const hits: number[] = [];
      matcher.scan(block, starts, lines.length, (line) => hits.push(line));
      const expected = lines.flatMap((line, i) => (matcher.test(line) ? [i] : []));
      expect(expected.length).toBeGreaterThan(0);
      expect(hits, text).toEqual(expected);
    }
  });
});
