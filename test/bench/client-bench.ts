import * as grpc from '@grpc/grpc-js';
import { TalosClient } from '../../electron/talos/client';
import { fanOut } from '../../electron/talos/fan-out';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import { startLabProcess } from './lab-handle';
import type { FigureInput } from './report';

const RTT_MS = 20;
const WARM_UP_ROUNDS = 20;
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const grpcClientOf = (client: TalosClient) => (client.connection as unknown as { clients: { client: grpc.Client }[] }).clients[0]!.client;

/**
 * Version + ServiceList to one node through grpc-js alone: the same channel, decoders and per-node metadata as
 * the client, none of Nodeglass's code (no deadline, error mapping or domain conversion). Its CPU per call is
 * the floor under the client's.
 */
function bareGrpcPair(client: TalosClient): (node: string) => Promise<void> {
  const raw = grpcClientOf(client);
  const metadata = new Map<string, grpc.Metadata>();
  const call = (def: { path: string; requestSerialize(v: object): Buffer; responseDeserialize(b: Buffer): unknown }, node: string) =>
    new Promise<unknown>((resolve, reject) => {
      let md = metadata.get(node);
      if (!md) {
        md = new grpc.Metadata();
        md.set('node', node);
        metadata.set(node, md);
      }
      raw.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, {}, md, {}, (error, value) =>
        error ? reject(error) : resolve(value),
      );
    });
  return async (node) => {
    await call(M.version, node);
    await call(M.serviceList, node);
  };
}

/** Reads a whole log with a bare grpc-js client on the same channel: the fastest any client can take it. */
/** Reads a whole log with bare grpc-js; `firstMs` is when its first bytes came (the node's time to answer). */
export function readRaw(
  client: TalosClient,
  node: string,
  id: string,
): Promise<{ lines: number; bytes: number; ms: number; firstMs: number }> {
  const raw = grpcClientOf(client);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const md = new grpc.Metadata();
    md.set('node', node);
    let bytes = 0;
    let lines = 0;
    let firstMs = 0;
    const call = raw.makeServerStreamRequest(
      M.logs.path,
      M.logs.requestSerialize,
      M.logs.responseDeserialize,
      { namespace: 'system', id, driver: 0, follow: false, tailLines: -1 },
      md,
      {},
    );
    call.on('data', (d: { bytes: Buffer }) => {
      if (bytes === 0) firstMs = performance.now() - started;
      bytes += d.bytes.length;
      for (let i = d.bytes.indexOf(10); i !== -1; i = d.bytes.indexOf(10, i + 1)) lines++;
    });
    call.on('error', reject);
    call.on('end', () => resolve({ bytes, lines, ms: performance.now() - started, firstMs }));
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
    const fanOutWith = async (pair: (node: string) => Promise<void>) => {
      const results = await fanOut(nodes, pair);
      const failed = results.filter((r) => !r.ok);
      if (failed.length) throw new Error(`fan-out: ${failed.length} nodes failed`);
    };
    const nodeglass = async (n: string) => {
      await client.version(n);
      await client.services(n);
    };
    const bare = bareGrpcPair(client);
    /** One round's time and the CPU it took on both sides (µs). */
    const round = async (pair: (node: string) => Promise<void>) => {
      const labBefore = (await lab.ask({ type: 'cpu' })).cpuUs!;
      const before = process.cpuUsage();
      const started = performance.now();
      await fanOutWith(pair);
      const ms = performance.now() - started;
      const used = process.cpuUsage(before);
      return { ms, clientUs: used.user + used.system, labUs: (await lab.ask({ type: 'cpu' })).cpuUs! - labBefore };
    };
    await one();
    const coldMs = (await round(nodeglass)).ms;
    // The first rounds run in V8's interpreter and baseline tiers on both sides (a round took ~165 ms, then
    // ~120 ms by the 5th, and settled by the ~15th): warm up past that, so the figure is the per-call cost.
    for (let i = 0; i < WARM_UP_ROUNDS; i++) {
      await one();
      await fanOutWith(nodeglass);
      await fanOutWith(bare);
    }
    const oneTimes: number[] = [];
    const rounds: Awaited<ReturnType<typeof round>>[] = [];
    const bareRounds: Awaited<ReturnType<typeof round>>[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await one();
      oneTimes.push(performance.now() - t);
      rounds.push(await round(nodeglass));
      bareRounds.push(await round(bare));
    }
    const oneMs = median(oneTimes);
    const allMs = median(rounds.map((r) => r.ms));
    const calls = 15 * 2 * nodes.length;
    const perCall = (rs: typeof rounds, side: 'clientUs' | 'labUs') => rs.reduce((sum, r) => sum + r[side], 0) / calls / 1000;
    figure({
      name: `Version+ServiceList, 100 nodes (simulated ${RTT_MS} ms round trip per call)`,
      value: allMs,
      unit: 'ms',
      limit: { name: '1 node', value: oneMs, unit: 'ms' },
      target: '<= 2x limit',
      pass: allMs <= 2 * oneMs,
    });
    figure({ name: 'fan-out: the first 100-node round after connecting (cold, before warm-up)', value: coldMs, unit: 'ms' });
    figure({ name: 'fan-out: client CPU per call', value: perCall(rounds, 'clientUs'), unit: 'ms' });
    figure({ name: 'fan-out: lab CPU per call (the lab answers for all 100 nodes)', value: perCall(rounds, 'labUs'), unit: 'ms' });
    figure({
      name: 'fan-out through bare grpc-js (same calls and channel, no Nodeglass code)',
      value: median(bareRounds.map((r) => r.ms)),
      unit: 'ms',
    });
    figure({
      name: 'fan-out: bare grpc-js client CPU per call (the floor under the client)',
      value: perCall(bareRounds, 'clientUs'),
      unit: 'ms',
    });
  } finally {
    client.close();
    await lab.stop();
  }
}

export async function clientBench(figure: (f: FigureInput) => void): Promise<void> {
  await fanOutBench(figure);
  await wireBench(figure);
}
