/**
 * V8 compiles a regular expression for the first long text (≥ 1,000 characters) it runs on, and its
 * Boyer-Moore skip looks for the characters of the pattern that were rare in 128 characters from the middle
 * of that text. 128 characters of one log line are a poor guide to a million lines: the same
 * case-insensitive search over the same million kubelet lines took 18 ms or 90 ms depending on which block
 * it happened to meet first. A search that first runs once on `tuningText` (the character frequencies of
 * the buffered logs, in a text V8 compiles for at once) skips on characters that are rare in the logs, every
 * time. Only the speed depends on it: the matches are the same.
 */
const SAMPLE = 128;
/** V8's threshold for compiling a regular expression at once rather than interpreting it first. */
const COMPILE_AT_ONCE = 1_000;
/** From each text, this many characters from its middle (a few lines); from at most MAX_TEXTS texts. */
const CHARS_PER_TEXT = 512;
const MAX_TEXTS = 32;

/** A text of ≥ 1,000 characters, each 128 of which have the character frequencies of `texts` ('' for no text). */
export function tuningText(texts: Iterable<string>): string {
  let sampled = '';
  let taken = 0;
  for (const text of texts) {
    if (taken++ === MAX_TEXTS) break;
    const from = Math.max(0, Math.floor((text.length - CHARS_PER_TEXT) / 2));
    sampled += text.slice(from, from + CHARS_PER_TEXT);
  }
  const counts = new Float64Array(256);
  let total = 0;
  for (let i = 0; i < sampled.length; i++) {
    const code = sampled.charCodeAt(i);
    // Latin-1 only: one wider character would make the text two-byte, and V8 compiles each width apart.
    if (code < 256) {
      counts[code]!++;
      total++;
    }
  }
  if (total === 0) return '';
  const byFrequency = [...counts.keys()].filter((c) => counts[c]! > 0).sort((a, b) => counts[b]! - counts[a]!);
  let sample = '';
  for (const code of byFrequency) sample += String.fromCharCode(code).repeat(Math.round((counts[code]! / total) * SAMPLE));
  // Rounding leaves it a little short or long: pad with characters in order of frequency, or cut.
  while (sample.length < SAMPLE) sample += String.fromCharCode(byFrequency[sample.length % byFrequency.length]!);
  sample = sample.slice(0, SAMPLE);
  // Any 128 consecutive characters of a text repeating every 128 hold the same characters.
  return sample.repeat(Math.ceil(COMPILE_AT_ONCE / SAMPLE));
}
