import os from 'node:os';
import { parseArgs } from 'node:util';
import { launchChromium } from '../e2e/chromium';
import { clientBench } from './client-bench';
import { appendHistory, BenchReport, currentCommit, formatValue, machineFacts, table, type BenchRun, type FigureInput } from './report';
import { logViewerBench } from './logs-bench';
import { consoleBench } from './ui-bench';

const HISTORY = 'test/bench/history.json';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    'no-history': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const suites: Record<string, (figure: (f: FigureInput) => void) => Promise<void>> = {
  client: clientBench,
  logs: logViewerBench,
  console: consoleBench,
};
if (values.help) {
  console.log(
    `Usage: npm run bench -- [${Object.keys(suites).join('|')} ...] [--json] [--no-history]\n` +
      'Runs the chosen suites (all by default), prints each figure with its same-run limit and verdict, and appends\n' +
      `the run to ${HISTORY} (--no-history skips that; --json prints the run as JSON on stdout).`,
  );
  process.exit(0);
}
const unknown = positionals.filter((p) => !(p in suites));
if (unknown.length) {
  console.error(`Unknown suite ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}.`);
  process.exit(2);
}
const chosen = positionals.length ? positionals : Object.keys(suites);
const loadAtStart = os.loadavg();
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');

let chromium: string | null = null;
if (chosen.some((s) => s !== 'client')) {
  const browser = await launchChromium();
  chromium = browser.version();
  await browser.close();
}
say(`Nodeglass benchmarks: ${chosen.join(', ')} on ${os.cpus().length} cores, load ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`);

const report = new BenchReport((f) =>
  say(
    `  [${f.verdict}] ${f.suite}: ${f.name}: ${formatValue(f.value, f.unit)}${f.limit ? ` (limit ${formatValue(f.limit.value, f.limit.unit)})` : ''} · load ${f.load}`,
  ),
);
for (const name of chosen) {
  say(`\n== ${name} ==`);
  const figure = report.suite(name);
  try {
    await suites[name]!(figure);
  } catch (error) {
    // A suite that breaks is a failed figure, not a lost run: the other suites and the history still count.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    figure({ name: `suite did not finish: ${message}`, value: 0, unit: 'figures', target: 'finishes', pass: false });
  }
}

const run: BenchRun = {
  date: new Date().toISOString(),
  commit: currentCommit(),
  suites: chosen,
  passed: report.passed,
  machine: machineFacts(chromium, loadAtStart),
  figures: report.figures,
};
if (!values['no-history']) appendHistory(HISTORY, run);
if (values.json) console.log(JSON.stringify(run, null, 2));
else console.log(`\n${table(report.figures)}\n\n${report.passed ? 'All targets met.' : 'Some targets missed (FAIL above).'}`);
process.exit(0);
