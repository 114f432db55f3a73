import { parseKernelRecord } from './kernel-record';

/** Severity codes kept per line (a Uint8Array in the log store). */
export const SEVERITY = { unknown: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 } as const;
export type Severity = (typeof SEVERITY)[keyof typeof SEVERITY];
export const SEVERITY_NAMES = ['unknown', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export interface ParsedLine {
  /** ms since the epoch, or NaN when the line carries no timestamp */
  ts: number;
  severity: Severity;
  /** the line without ANSI escape sequences; always shown as text */
  text: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(line: string): string {
  return line.includes('\x1b') ? line.replace(ANSI, '') : line;
}

const WORD_SEVERITY: Record<string, Severity> = {
  trace: SEVERITY.debug,
  debug: SEVERITY.debug,
  info: SEVERITY.info,
  notice: SEVERITY.info,
  warn: SEVERITY.warn,
  warning: SEVERITY.warn,
  error: SEVERITY.error,
  err: SEVERITY.error,
  crit: SEVERITY.fatal,
  alert: SEVERITY.fatal,
  emerg: SEVERITY.fatal,
  fatal: SEVERITY.fatal,
  panic: SEVERITY.fatal,
  dpanic: SEVERITY.fatal,
};
const KLOG_SEVERITY: Record<string, Severity> = { I: SEVERITY.info, W: SEVERITY.warn, E: SEVERITY.error, F: SEVERITY.fatal };

const wordSeverity = (word: string | undefined): Severity => WORD_SEVERITY[(word ?? '').toLowerCase()] ?? SEVERITY.unknown;

const KUBELET_TS = /"ts":(\d+(?:\.\d+)?)/;
const JSON_LEVEL = /"level":"(\w+)"/;
const JSON_ISO_TS = /"ts":"([^"]+)"/;
const LOGRUS = /^time="([^"]+)" level=(\w+)/;
const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([FP]) ?(.*)$/;
const KLOG = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{1,6})/;
const ZAP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s+(\w+)\s/;
const GO_LOG = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?\s/;
const SYSLOG = /^<(\d+)>1 (\S+) /;
const AUDIT = /msg=audit\((\d+(?:\.\d+)?):/;

/** RFC3339 with up to nanoseconds; JavaScript's Date keeps milliseconds. */
function isoMs(text: string): number {
  return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
}

function klogTs(m: RegExpExecArray, reference: number): number {
  const year = new Date(reference).getUTCFullYear();
  const ts = Date.UTC(
    year,
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Math.floor(Number(m[7]!.padEnd(6, '0')) / 1000),
  );
  // klog has no year: a December line read in January belongs to last year
  return ts - reference > 86_400_000 ? Date.UTC(year - 1, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : ts;
}

/**
 * Finds the timestamp and severity of one log line in any of the formats Talos nodes produce: kubelet JSON
 * (`ts` in ms), etcd JSON, containerd/logrus, klog, CRI, machined `[talos]`, dmesg, zap console, Go log,
 * syslog and audit. `reference` (arrival time) supplies the year klog omits.
 */
export function parseLogLine(raw: string, reference: number): ParsedLine {
  const text = stripAnsi(raw);
  const first = text.charCodeAt(0);
  if (first === 123 /* { */) {
    const kubelet = KUBELET_TS.exec(text);
    if (kubelet)
      return {
        ts: Number(kubelet[1]),
        severity: text.includes('"err":') ? SEVERITY.error : wordSeverity(JSON_LEVEL.exec(text)?.[1]) || SEVERITY.info,
        text,
      };
    const iso = JSON_ISO_TS.exec(text);
    if (iso) return { ts: isoMs(iso[1]!), severity: wordSeverity(JSON_LEVEL.exec(text)?.[1]), text };
  }
  if (first === 116 /* t */) {
    const logrus = LOGRUS.exec(text);
    if (logrus) return { ts: isoMs(logrus[1]!), severity: wordSeverity(logrus[2]), text };
  }
  if (first === 91 /* [ */ && text.startsWith('[talos]')) {
    return { ts: NaN, severity: /\b(error|failed)\b/i.test(text) ? SEVERITY.error : SEVERITY.info, text };
  }
  const klog = KLOG.exec(text);
  if (klog) return { ts: klogTs(klog, reference), severity: KLOG_SEVERITY[klog[1]!] ?? SEVERITY.unknown, text };
  const cri = CRI.exec(text);
  if (cri) {
    const inner = KLOG.exec(cri[4] ?? '');
    const innerLevel = inner ? KLOG_SEVERITY[inner[1]!] : wordSeverity(/level[=":]+(\w+)/.exec(cri[4] ?? '')?.[1]);
    return { ts: isoMs(cri[1]!), severity: innerLevel || (cri[2] === 'stderr' ? SEVERITY.info : SEVERITY.info), text };
  }
  const kernel = text.includes(']: ') ? parseKernelRecord(text) : null;
  if (kernel?.time) {
    const ts = isoMs(kernel.time);
    if (Number.isFinite(ts)) return { ts, severity: wordSeverity(kernel.priority), text };
  }
  const zap = ZAP.exec(text);
  if (zap) return { ts: isoMs(zap[1]!), severity: wordSeverity(zap[2]), text };
  const go = GO_LOG.exec(text);
  if (go)
    return {
      ts: Date.UTC(
        Number(go[1]),
        Number(go[2]) - 1,
        Number(go[3]),
        Number(go[4]),
        Number(go[5]),
        Number(go[6]),
        Math.floor(Number((go[7] ?? '0').padEnd(6, '0')) / 1000),
      ),
      severity: / ERROR \[/.test(text) ? SEVERITY.error : SEVERITY.info,
      text,
    };
  const syslog = SYSLOG.exec(text);
  if (syslog) {
    const pri = Number(syslog[1]) % 8;
    return {
      ts: isoMs(syslog[2]!),
      severity:
        pri <= 2 ? SEVERITY.fatal : pri === 3 ? SEVERITY.error : pri === 4 ? SEVERITY.warn : pri <= 6 ? SEVERITY.info : SEVERITY.debug,
      text,
    };
  }
  const audit = AUDIT.exec(text);
  if (audit) return { ts: Number(audit[1]) * 1000, severity: SEVERITY.info, text };
  return { ts: NaN, severity: SEVERITY.unknown, text };
}
