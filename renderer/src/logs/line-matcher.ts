/**
 * Finds the lines of a text block (lines joined by "\n") that a search matches, with one regular-expression
 * scan over the whole block rather than one call per line: the engine skips non-matching text in bulk.
 * Per-line semantics are kept: `^`/`$` mean line start/end (the `m` flag), a match that runs past its line
 * end or that depends on lookaround is confirmed on the line alone, and a pattern with lookbehind (which
 * could see the line before) is tested line by line.
 */
export interface LineMatcher {
  /** Whether one line matches. */
  test(line: string): boolean;
  /**
   * Calls `hit` with the index of every matching line of `block`, in order. `starts[i]` is where line i
   * begins; lines end one character before the next start, the last one at the end of the block.
   */
  scan(block: string, starts: Uint32Array, count: number, hit: (line: number) => void): void;
}

/** The line holding `index`, at or after line `from` (matches come in order): a binary search over the starts. */
function lineAt(starts: Uint32Array, count: number, from: number, index: number): number {
  let low = from;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compiles a search; throws SyntaxError on an invalid regular expression. `tuning` (see regexp-tuning.ts)
 * is a text with the character frequencies of the text it will scan.
 */
export function compileMatcher(text: string, regex: boolean, caseSensitive: boolean, tuning = ''): LineMatcher {
  const source = regex ? text : escape(text);
  const flags = caseSensitive ? '' : 'i';
  const line = new RegExp(source, flags);
  const block = new RegExp(source, `${flags}gm`);
  if (tuning) block.exec(tuning);
  // A literal without "\n" can neither span lines nor see past them.
  const literal = !regex;
  if (literal && text.includes('\n')) return { test: () => false, scan: () => undefined };
  const lookaround = regex && /\(\?<?[=!]/.test(text);
  const lookbehind = regex && /\(\?<[=!]/.test(text);
  const test = (s: string) => line.test(s);

  return {
    test,
    scan(blockText, starts, count, hit) {
      const lineEnd = (i: number) => (i + 1 < count ? starts[i + 1]! - 1 : blockText.length);
      if (lookbehind) {
        for (let i = 0; i < count; i++) if (test(blockText.slice(starts[i]!, lineEnd(i)))) hit(i);
        return;
      }
      let i = 0;
      block.lastIndex = 0;
      for (;;) {
        const m = block.exec(blockText);
        if (!m) return;
        i = lineAt(starts, count, i, m.index);
        const end = lineEnd(i);
        if (literal || (!lookaround && m.index + m[0].length <= end) || test(blockText.slice(starts[i]!, end))) hit(i);
        if (i + 1 >= count) return;
        block.lastIndex = starts[++i]!;
      }
    },
  };
}
