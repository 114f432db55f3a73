import { clientBench } from './client-bench';
import { consoleBench, logViewerBench } from './ui-bench';

const only = process.argv[2];
const suites: Record<string, () => Promise<Record<string, number | string>>> = {
  client: clientBench,
  console: consoleBench,
  logs: logViewerBench,
};

for (const [name, run] of Object.entries(suites)) {
  if (only && only !== name) continue;
  console.log(`\n== ${name} ==`);
  const results = await run();
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(52)} ${v}`);
}
process.exit(0);
