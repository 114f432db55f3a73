import { stripAnsi } from './parse-line';

/** A log line split into the columns an operator scans (level, component, message) and the rest. */
export interface StructuredLine {
  format: 'json' | 'logfmt' | 'zap' | 'klog';
  level: string;
  component: string;
  message: string;
  /** Every other field, in the order the line has them, as text. */
  fields: [string, string][];
}

const LEVEL_KEYS = ['level', 'lvl', 'severity'];
const MESSAGE_KEYS = ['msg', 'message'];
const COMPONENT_KEYS = ['component', 'logger', 'controller', 'module', 'caller'];
/** Shown in the time column already. */
const TIME_KEYS = ['ts', 'time', 'timestamp'];
const ZAP_CONSOLE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s+([A-Z]+)\s+(.*?)(?:\s+(\{.*\}))?$/;
/** klog (kube components): `I0921 10:11:12.123456    1 file.go:42] message`; the level letter and time are read by parse-line. */
const KLOG = /^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ ([^\s\]]+:\d+)\] (.*)$/;
const KLOG_LEVEL: Record<string, string> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };
const LOGFMT_PAIR = /([\w.\-/]+)=("(?:[^"\\]|\\.)*"|\S*)/g;

const text = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

function fromRecord(format: StructuredLine['format'], record: Record<string, unknown>, level?: string, message?: string): StructuredLine {
  const take = (keys: string[]) => {
    for (const key of keys) if (key in record && record[key] !== '') return { key, value: text(record[key]) };
    return null;
  };
  const lvl = level !== undefined ? { key: '', value: level } : take(LEVEL_KEYS);
  const msg = message !== undefined ? { key: '', value: message } : take(MESSAGE_KEYS);
  const component = take(COMPONENT_KEYS);
  const used = new Set([lvl?.key, msg?.key, component?.key, ...TIME_KEYS]);
  // kubelet's JSON has no level: an "err" field means an error, else it is information.
  const inferred = lvl?.value ?? ('err' in record ? 'error' : 'info');
  return {
    format,
    level: inferred.toLowerCase(),
    component: component?.value ?? '',
    message: msg?.value ?? '',
    fields: Object.entries(record)
      .filter(([key]) => !used.has(key))
      .map(([key, value]) => [key, text(value)]),
  };
}

function parseLogfmt(line: string): Record<string, string> | null {
  const record: Record<string, string> = {};
  let matched = 0;
  let covered = 0;
  for (const m of line.matchAll(LOGFMT_PAIR)) {
    const raw = m[2]!;
    record[m[1]!] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    matched++;
    covered += m[0].length;
  }
  // Mostly key=value pairs, with a level or a message: logrus/containerd, not prose that has an "=" in it.
  const looksStructured = matched >= 2 && covered >= line.replace(/\s+/g, '').length * 0.8;
  return looksStructured && ('level' in record || 'msg' in record) ? record : null;
}

/**
 * Reads JSON lines (kubelet, etcd, zap), logfmt lines (containerd, cri), zap console lines
 * (controller-runtime) and klog lines (kube components); anything else, or anything that does not parse, is
 * null and shows as plain text.
 */
export function structure(line: string): StructuredLine | null {
  const trimmed = stripAnsi(line).trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const record = JSON.parse(trimmed) as unknown;
      if (record && typeof record === 'object' && !Array.isArray(record)) return fromRecord('json', record as Record<string, unknown>);
    } catch {
      return null;
    }
    return null;
  }
  const zap = ZAP_CONSOLE.exec(trimmed);
  if (zap) {
    let extra: Record<string, unknown> = {};
    try {
      extra = zap[4] ? (JSON.parse(zap[4]) as Record<string, unknown>) : {};
    } catch {
      return null;
    }
    return fromRecord('zap', extra, zap[2]!, zap[3]!);
  }
  const klog = KLOG.exec(trimmed);
  if (klog) return { format: 'klog', level: KLOG_LEVEL[klog[1]!]!, component: klog[2]!, message: klog[3]!, fields: [] };
  if (!trimmed.includes('=')) return null;
  const record = parseLogfmt(trimmed);
  return record ? fromRecord('logfmt', record) : null;
}
