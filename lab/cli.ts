import { parseArgs } from 'node:util';
import { startLab } from './cluster';
import { parseFaultArg, type FaultRequest } from './faults';
import { parseScenarioArg, type ScenarioRequest } from './scenarios';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '50000' },
    nodes: { type: 'string', default: '3' },
    'control-planes': { type: 'string', default: '1' },
    cluster: { type: 'string', default: 'lab' },
    talosconfig: { type: 'string', default: './lab-talosconfig' },
    'log-rate': { type: 'string', default: '20' },
    'latency-ms': { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    scenario: { type: 'string', multiple: true, default: [] },
    fault: { type: 'string', multiple: true, default: [] },
  },
});

function int(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
    process.exit(2);
  }
  return n;
}

let scenarios: ScenarioRequest[];
let faults: FaultRequest[];
try {
  scenarios = (values.scenario ?? []).map(parseScenarioArg);
  faults = (values.fault ?? []).map(parseFaultArg);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const lab = await startLab({
  port: int('port', values.port, 0, 65535),
  nodes: int('nodes', values.nodes, 1, 250),
  controlPlanes: int('control-planes', values['control-planes'], 1, 5),
  cluster: values.cluster,
  talosconfigPath: values.talosconfig,
  logRate: int('log-rate', values['log-rate'], 0, 1_000_000),
  latencyMs: int('latency-ms', values['latency-ms'], 0, 60_000),
  seed: int('seed', values.seed, 0, 2 ** 31),
  scenarios,
  faults,
}).catch((error: Error) => {
  console.error(`The practice cluster could not start: ${error.message}`);
  process.exit(2);
});

console.log(`Practice cluster "${lab.cluster}" is running.`);
console.log(`  endpoint:    ${lab.endpoint}`);
for (const node of lab.nodes) console.log(`  node:        ${node.id.ip.padEnd(12)} ${node.id.hostname} (${node.id.type})`);
console.log(`  talosconfig: ${lab.talosconfigPath} (contexts admin@${lab.cluster}, operator@${lab.cluster}, reader@${lab.cluster})`);
for (const s of lab.scenarios())
  console.log(`  scenario:    ${s.kind} on ${s.node.hostname} (${s.node.ip}): ${s.summary}; look at: ${s.evidence.join(' · ')}`);
for (const f of lab.faults())
  console.log(`  fault:       ${f.node} ${f.kind}${f.kind === 'service-unhealthy' ? `=${f.service}` : ''} (strikes at its next boot)`);
console.log('');
console.log(`Try: talosctl --talosconfig ${lab.talosconfigPath} -n ${lab.nodes[0]?.id.ip} version`);
console.log('Press Ctrl+C to stop.');

const stop = () => {
  void lab.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
