import { parseLogLine, SEVERITY, type Severity } from './parse-line';

/**
 * Where the block's `"err":` and `"level":"` keys are, in one regular-expression pass (two indexOf passes
 * over the block cost seven times as much).
 */
const KEYS = /"(?:err|level)":/g;
function keysIn(text: string): { errs: number[]; levels: number[] } {
  const errs: number[] = [];
  const levels: number[] = [];
  KEYS.lastIndex = 0;
  for (let m = KEYS.exec(text); m; m = KEYS.exec(text)) {
    if (text.charCodeAt(m.index + 1) === 101 /* e */) errs.push(m.index);
    else if (text.charCodeAt(m.index + 8) === 34 /* " */) levels.push(m.index);
  }
  return { errs, levels };
}

const isDigit = (code: number) => code >= 48 && code <= 57;
/** Beyond this many digits, adding them up could round differently from Number(). */
const EXACT_DIGITS = 15;

/**
 * `{"ts":<digits>[.<digits>]`, kubelet's JSON, read without a regular expression or a substring (a million
 * short strings to parse are a million allocations); NaN when absent.
 */
function kubeletTs(text: string, start: number, end: number): number {
  if (text.charCodeAt(start) !== 123 /* { */ || !text.startsWith('"ts":', start + 1)) return NaN;
  const from = start + 6;
  let i = from;
  let whole = 0;
  for (; i < end && isDigit(text.charCodeAt(i)); i++) whole = whole * 10 + (text.charCodeAt(i) - 48);
  if (i === from) return NaN;
  if (text.charCodeAt(i) !== 46 /* . */ || i + 1 >= end || !isDigit(text.charCodeAt(i + 1))) {
    return i - from > EXACT_DIGITS ? Number(text.slice(from, i)) : whole;
  }
  const point = i++;
  let fraction = 0;
  let scale = 1;
  for (; i < end && isDigit(text.charCodeAt(i)); i++) {
    fraction = fraction * 10 + (text.charCodeAt(i) - 48);
    scale *= 10;
  }
  return point - from > EXACT_DIGITS || i - point - 1 > EXACT_DIGITS ? Number(text.slice(from, i)) : whole + fraction / scale;
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
  const { errs, levels } = keysIn(text);
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
