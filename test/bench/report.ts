import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** A measured figure, next to the limit measured on the same machine in the same run, with its target. */
export interface Figure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** The same-run limit this figure is judged against (e.g. a raw grpc-js reader of the same stream). */
  limit: { name: string; value: number; unit: string } | null;
  /** What passes, in words, e.g. ">= 80 % of the raw reader"; null for figures reported for context. */
  target: string | null;
  verdict: 'PASS' | 'FAIL' | 'info';
  /** 1-minute load average when the figure was taken: the cores are shared, so say how busy they were. */
  load: number;
}

export type FigureInput = Omit<Figure, 'suite' | 'load' | 'verdict' | 'limit' | 'target'> & {
  limit?: Figure['limit'];
  target?: string;
  /** Whether the target is met; omit for figures reported for context. */
  pass?: boolean;
};

export const load1 = (): number => +os.loadavg()[0]!.toFixed(2);

export class BenchReport {
  readonly figures: Figure[] = [];

  constructor(private readonly onFigure: (f: Figure) => void = () => undefined) {}

  suite(name: string): (f: FigureInput) => void {
    return ({ pass, limit, target, ...f }) => {
      const figure: Figure = {
        suite: name,
        ...f,
        limit: limit ?? null,
        target: target ?? null,
        verdict: pass === undefined ? 'info' : pass ? 'PASS' : 'FAIL',
        load: load1(),
      };
      this.figures.push(figure);
      this.onFigure(figure);
    };
  }

  get passed(): boolean {
    return this.figures.every((f) => f.verdict !== 'FAIL');
  }
}

export function formatValue(value: number, unit: string): string {
  const n = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(+value.toFixed(value < 10 ? 2 : 1));
  return unit === '%' || unit === 'x' ? `${n}${unit === '%' ? ' %' : 'x'}` : `${n} ${unit}`;
}

/** A figure against its limit: a share for rates, a multiple for times and sizes. */
function ratio(f: Figure): string {
  if (!f.limit || f.limit.unit !== f.unit || f.limit.value === 0) return '';
  const r = f.value / f.limit.value;
  return f.unit === 'lines/s' ? ` (${Math.round(r * 100)} %)` : ` (${r.toFixed(2)}x)`;
}

/** The figures as a Markdown table: figure, paired limit, target, result, verdict, load. */
export function table(figures: Figure[]): string {
  const rows = [
    ['figure', 'paired limit (same run)', 'target', 'result', 'verdict', 'load'],
    ...figures.map((f) => [
      `${f.suite}: ${f.name}`,
      f.limit ? `${f.limit.name}: ${formatValue(f.limit.value, f.limit.unit)}` : '',
      f.target ?? '',
      formatValue(f.value, f.unit) + ratio(f),
      f.verdict,
      f.load.toFixed(2),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
  node: string;
  chromium: string | null;
  loadAtStart: number[];
  loadAtEnd: number[];
}

export function machineFacts(chromium: string | null, loadAtStart: number[]): MachineFacts {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
    loadAtStart: loadAtStart.map((l) => +l.toFixed(2)),
    loadAtEnd: os.loadavg().map((l) => +l.toFixed(2)),
  };
}

export interface BenchRun {
  date: string;
  commit: string;
  suites: string[];
  passed: boolean;
  machine: MachineFacts;
  figures: Figure[];
}

export function currentCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return 'unknown';
  }
}

/** Keeps the last `keep` runs in the history file, newest last. */
export function appendHistory(file: string, run: BenchRun, keep = 20): void {
  const runs: BenchRun[] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchRun[]) : [];
  runs.push(run);
  writeFileSync(file, JSON.stringify(runs.slice(-keep), null, 2) + '\n');
}
