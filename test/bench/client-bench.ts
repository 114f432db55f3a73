import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { TalosClient } from '../../electron/talos/client';
import { startLab } from '../../lab/cluster';
import { LogBuffer } from '../../lab/model/log-buffer';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import { fanOut } from '../../electron/talos/fan-out';
import { labClient } from '../helpers/lab-identity';

const RTT_MS = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Log throughput through the client's line pipeline next to a raw grpc-js reader, and fan-out cost. */
/**
 * Version + ServiceList to 100 nodes against one node. The lab runs in its own process (as real nodes do
 * not share the client's CPU) with a simulated round trip per call, since lab nodes answer in microseconds.
 */
async function fanOutBench(): Promise<Record<string, number | string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-fanout-'));
  const file = path.join(dir, 'talosconfig');
  const child = spawn(
    process.execPath,
    [
      'node_modules/tsx/dist/cli.mjs',
      'lab/cli.ts',
      '--port',
      '0',
      '--nodes',
      '100',
      '--log-rate',
      '0',
      '--latency-ms',
      String(RTT_MS),
      '--talosconfig',
      file,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Press Ctrl+C')) resolve();
      });
      child.on('exit', () => reject(new Error(`lab exited early:\n${out}`)));
    });
    const config = parse(await readFile(file, 'utf8')) as {
      contexts: Record<string, { endpoints: string[]; nodes: string[]; ca: string; crt: string; key: string }>;
    };
    const ctx = config.contexts['reader@lab']!;
    const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    const client = TalosClient.open({
      context: 'reader@lab',
      endpoints: ctx.endpoints,
      roles: ['os:reader'],
      caPem: decode(ctx.ca),
      certPem: decode(ctx.crt),
      keyPem: Buffer.from(decode(ctx.key)),
    });
    try {
      const one = async () => {
        await client.version('10.5.0.2');
        await client.services('10.5.0.2');
      };
      const all = async () => {
        await fanOut(ctx.nodes, async (n) => {
          await client.version(n);
          await client.services(n);
        });
      };
      for (let i = 0; i < 3; i++) {
        await one();
        await all();
      }
      const oneTimes: number[] = [];
      const allTimes: number[] = [];
      for (let i = 0; i < 15; i++) {
        let t = performance.now();
        await one();
        oneTimes.push(performance.now() - t);
        t = performance.now();
        await all();
        allTimes.push(performance.now() - t);
      }
      return {
        'simulated node latency per call (ms)': RTT_MS,
        'Version+ServiceList, 1 node (ms)': +median(oneTimes).toFixed(2),
        'Version+ServiceList fanned out to 100 nodes (ms)': +median(allTimes).toFixed(2),
        '100 nodes / 1 node (target <= 2x)': `${(median(allTimes) / median(oneTimes)).toFixed(2)}x`,
      };
    } finally {
      client.close();
    }
  } finally {
    child.kill('SIGINT');
    await rm(dir, { recursive: true, force: true });
  }
}

export async function clientBench(): Promise<Record<string, number | string>> {
  // First, on a fresh heap: the log part below leaves hundreds of MB for the collector.
  const fan = await fanOutBench();
  const lab = await startLab({ nodes: 1, logRate: 0, seed: 5 });
  const client = labClient(lab, 'reader');
  try {
    const node = lab.node('10.5.0.2');
    const source = node.logs.get('kubelet')!;
    source.buffer = new LogBuffer(256 * 1024 * 1024);
    const lines: string[] = [];
    let ts = Date.now() - 3_600_000;
    for (let i = 0; i < 500_000; i++) lines.push(source.make((ts += 5), node.rng));
    source.buffer.append(lines);
    source.generatedUntil = Date.now();
    const totalBytes = Buffer.byteLength(source.buffer.tail(-1));

    const raw = (client.connection as unknown as { clients: { client: grpc.Client }[] }).clients[0]!.client;
    const readRaw = () =>
      new Promise<{ bytes: number; lines: number }>((resolve, reject) => {
        const md = new grpc.Metadata();
        md.set('node', '10.5.0.2');
        let bytes = 0;
        let count = 0;
        const call = raw.makeServerStreamRequest(
          M.logs.path,
          M.logs.requestSerialize,
          M.logs.responseDeserialize,
          { namespace: 'system', id: 'kubelet', driver: 0, follow: false, tailLines: -1 },
          md,
          {},
        );
        call.on('data', (d: { bytes: Buffer }) => {
          bytes += d.bytes.length;
          for (let i = d.bytes.indexOf(10); i !== -1; i = d.bytes.indexOf(10, i + 1)) count++;
        });
        call.on('error', reject);
        call.on('end', () => resolve({ bytes, lines: count }));
      });
    const readPipeline = async () => {
      let count = 0;
      let bytes = 0;
      await client.logs('10.5.0.2', { namespace: 'system', id: 'kubelet', follow: false, tailLines: -1 }, (batch) => {
        count += batch.length;
        for (const l of batch) bytes += l.length + 1;
      });
      return { bytes, lines: count };
    };
    const rawTimes: number[] = [];
    const pipeTimes: number[] = [];
    let rawLines = 0;
    let pipeLines = 0;
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      rawLines = (await readRaw()).lines;
      rawTimes.push(performance.now() - t);
      t = performance.now();
      pipeLines = (await readPipeline()).lines;
      pipeTimes.push(performance.now() - t);
    }
    const rawMs = median(rawTimes);
    const pipeMs = median(pipeTimes);
    return {
      'log lines read': pipeLines,
      'log bytes read': totalBytes,
      'raw grpc-js reader MB/s': +(totalBytes / 1e6 / (rawMs / 1000)).toFixed(1),
      'raw grpc-js reader lines/s': Math.round(rawLines / (rawMs / 1000)),
      'client line pipeline MB/s': +(totalBytes / 1e6 / (pipeMs / 1000)).toFixed(1),
      'client line pipeline lines/s': Math.round(pipeLines / (pipeMs / 1000)),
      'pipeline / raw (target >= 80%)': `${Math.round((rawMs / pipeMs) * 100)}%`,
      ...fan,
    };
  } finally {
    client.close();
    await lab.stop();
  }
}
