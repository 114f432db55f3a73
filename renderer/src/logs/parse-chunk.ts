import { parseLogLine, SEVERITY, type Severity } from './parse-line';

/** Positions of every occurrence of `needle` in `text`, found in one pass. */
function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

/** `{"ts":<digits>[.<digits>]`, kubelet's JSON, read without a regular expression; NaN when absent. */
function kubeletTs(text: string, start: number, end: number): number {
  if (text.charCodeAt(start) !== 123 /* { */ || !text.startsWith('"ts":', start + 1)) return NaN;
  let i = start + 6;
  const digitsFrom = i;
  while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === digitsFrom) return NaN;
  if (text.charCodeAt(i) === 46 /* . */ && i + 1 < end && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57) {
    i++;
    while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  }
  return Number(text.slice(digitsFrom, i));
}

/**
 * Timestamp (NaN when the line has none) and severity of every line of a block, as `parseLogLine` gives
 * them. Kubelet JSON, most of a node's volume, is read in place; `"err":` and `"level":"` are located once
 * for the whole block; any other line is parsed on its own.
 */
export function parseChunk(
  text: string,
  starts: Uint32Array,
  count: number,
  reference: number,
): { ts: Float64Array; severity: Uint8Array } {
  const ts = new Float64Array(count);
  const severity = new Uint8Array(count);
  const errs = occurrences(text, '"err":');
  const levels = occurrences(text, '"level":"');
  let e = 0;
  let l = 0;
  for (let i = 0; i < count; i++) {
    const start = starts[i]!;
    const end = i + 1 < count ? starts[i + 1]! - 1 : text.length;
    while (e < errs.length && errs[e]! < start) e++;
    while (l < levels.length && levels[l]! < start) l++;
    const hasErr = e < errs.length && errs[e]! < end;
    const hasLevel = l < levels.length && levels[l]! < end;
    const time = hasLevel ? NaN : kubeletTs(text, start, end);
    if (!Number.isNaN(time)) {
      ts[i] = time;
      severity[i] = hasErr ? SEVERITY.error : SEVERITY.info;
      continue;
    }
    const parsed = parseLogLine(text.slice(start, end), reference);
    ts[i] = parsed.ts;
    severity[i] = parsed.severity satisfies Severity;
  }
  return { ts, severity };
}
