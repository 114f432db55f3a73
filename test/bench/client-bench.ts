import * as grpc from '@grpc/grpc-js';
import { TalosClient } from '../../electron/talos/client';
import { fanOut } from '../../electron/talos/fan-out';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import { startLabProcess } from './lab-handle';
import type { FigureInput } from './report';

const RTT_MS = 20;
const WARM_UP_ROUNDS = 20;
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Reads a whole log with a bare grpc-js client on the same channel: the fastest any client can take it. */
export function readRaw(client: TalosClient, node: string, id: string): Promise<{ lines: number; bytes: number; ms: number }> {
  const raw = (client.connection as unknown as { clients: { client: grpc.Client }[] }).clients[0]!.client;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const md = new grpc.Metadata();
    md.set('node', node);
    let bytes = 0;
    let lines = 0;
    const call = raw.makeServerStreamRequest(
      M.logs.path,
      M.logs.requestSerialize,
      M.logs.responseDeserialize,
      { namespace: 'system', id, driver: 0, follow: false, tailLines: -1 },
      md,
      {},
    );
    call.on('data', (d: { bytes: Buffer }) => {
      bytes += d.bytes.length;
      for (let i = d.bytes.indexOf(10); i !== -1; i = d.bytes.indexOf(10, i + 1)) lines++;
    });
    call.on('error', reject);
    call.on('end', () => resolve({ bytes, lines, ms: performance.now() - started }));
  });
}

/** Log throughput through the client's line pipeline next to a raw grpc-js reader of the same stream. */
export async function wireBench(figure: (f: FigureInput) => void): Promise<void> {
  const lab = await startLabProcess({ nodes: 1 });
  const client = TalosClient.open(lab.material('reader'));
  try {
    const filled = await lab.ask({ type: 'fill', node: '10.5.0.2', log: 'kubelet', lines: 500_000, stepMs: 5, capacityBytes: 2 ** 30 });
    const readPipeline = async () => {
      const started = performance.now();
      let lines = 0;
      await client.logs('10.5.0.2', { namespace: 'system', id: 'kubelet', follow: false, tailLines: -1 }, (batch) => {
        lines += batch.length;
      });
      return { lines, ms: performance.now() - started };
    };
    const rawMs: number[] = [];
    const pipeMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      rawMs.push((await readRaw(client, '10.5.0.2', 'kubelet')).ms);
      const pipe = await readPipeline();
      if (pipe.lines !== filled.lines) throw new Error(`the client pipeline delivered ${pipe.lines} of ${filled.lines} lines`);
      pipeMs.push(pipe.ms);
    }
    const raw = filled.lines / (median(rawMs) / 1000);
    const pipe = filled.lines / (median(pipeMs) / 1000);
    figure({
      name: `raw grpc-js reader, ${filled.lines.toLocaleString('en-US')} kubelet lines (${(filled.bytes / 1e6).toFixed(0)} MB)`,
      value: raw,
      unit: 'lines/s',
    });
    figure({
      name: 'client line pipeline',
      value: pipe,
      unit: 'lines/s',
      limit: { name: 'raw reader', value: raw, unit: 'lines/s' },
      target: '>= 80 % of limit',
      pass: pipe >= 0.8 * raw,
    });
  } finally {
    client.close();
    await lab.stop();
  }
}

/**
 * Version + ServiceList to 100 nodes against one node. The lab runs in its own process (real nodes do not
 * share the client's CPU) with a simulated round trip per call, since lab nodes answer in microseconds.
 */
export async function fanOutBench(figure: (f: FigureInput) => void): Promise<void> {
  const lab = await startLabProcess({ nodes: 100, latencyMs: RTT_MS });
  const client = TalosClient.open(lab.material('reader'));
  const nodes = lab.nodes();
  try {
    const one = async () => {
      await client.version(nodes[0]!);
      await client.services(nodes[0]!);
    };
    const all = async () => {
      const results = await fanOut(nodes, async (n) => {
        await client.version(n);
        await client.services(n);
      });
      const failed = results.filter((r) => !r.ok);
      if (failed.length) throw new Error(`fan-out: ${failed.length} nodes failed`);
    };
    await one();
    let t = performance.now();
    await all();
    const coldMs = performance.now() - t;
    // The first rounds run in V8's interpreter and baseline tiers on both sides (a round took ~165 ms, then
    // ~120 ms by the 5th, and settled by the ~15th): warm up past that, so the figure is the per-call cost.
    for (let i = 0; i < WARM_UP_ROUNDS; i++) {
      await one();
      await all();
    }
    const oneTimes: number[] = [];
    const allTimes: number[] = [];
    let clientCpu = 0;
    let labCpu = 0;
    for (let i = 0; i < 15; i++) {
      t = performance.now();
      await one();
      oneTimes.push(performance.now() - t);
      const labBefore = (await lab.ask({ type: 'cpu' })).cpuUs!;
      const before = process.cpuUsage();
      t = performance.now();
      await all();
      allTimes.push(performance.now() - t);
      const used = process.cpuUsage(before);
      clientCpu += used.user + used.system;
      labCpu += (await lab.ask({ type: 'cpu' })).cpuUs! - labBefore;
    }
    const oneMs = median(oneTimes);
    const allMs = median(allTimes);
    const calls = 15 * 2 * nodes.length;
    figure({
      name: `Version+ServiceList, 100 nodes (simulated ${RTT_MS} ms round trip per call)`,
      value: allMs,
      unit: 'ms',
      limit: { name: '1 node', value: oneMs, unit: 'ms' },
      target: '<= 2x limit',
      pass: allMs <= 2 * oneMs,
    });
    figure({ name: 'fan-out: the first 100-node round after connecting (cold, before warm-up)', value: coldMs, unit: 'ms' });
    figure({ name: 'fan-out: client CPU per call', value: clientCpu / calls / 1000, unit: 'ms' });
    figure({ name: 'fan-out: lab CPU per call (the lab answers for all 100 nodes)', value: labCpu / calls / 1000, unit: 'ms' });
  } finally {
    client.close();
    await lab.stop();
  }
}

export async function clientBench(figure: (f: FigureInput) => void): Promise<void> {
  await fanOutBench(figure);
  await wireBench(figure);
}
