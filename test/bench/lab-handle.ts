import { fork } from 'node:child_process';
import { parse } from 'yaml';
import type { ConnectionMaterial } from '../../electron/talos/connection';

export type LabRequest =
  | { id: number; type: 'fill'; node: string; log: string; lines: number; stepMs: number; capacityBytes: number }
  | { id: number; type: 'rate'; node: string; log: string; rate: number }
  | { id: number; type: 'generated'; node: string; log: string }
  | { id: number; type: 'cpu' };

/** Lines and bytes of a log; `cpuUs`: CPU time the lab process has used so far (user + system). */
export interface LabValue {
  lines: number;
  bytes: number;
  cpuUs?: number;
}

export interface LabReply {
  id: number;
  value?: LabValue;
  error?: string;
  ready?: { endpoint: string; talosconfig: string };
}

type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface LabProcess {
  endpoint: string;
  talosconfig: string;
  /** Connection material for one of the talosconfig's contexts (admin, operator, reader). */
  material(who: 'admin' | 'operator' | 'reader'): ConnectionMaterial;
  nodes(): string[];
  ask(request: Without<LabRequest>): Promise<LabValue>;
  stop(): Promise<void>;
}

const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/**
 * Starts the practice cluster in a child process (see lab-process.ts) and waits until it serves.
 * `BENCH_LAB_PROF=<dir>` writes a CPU profile of the lab process there.
 */
export async function startLabProcess(options: { nodes: number; latencyMs?: number }): Promise<LabProcess> {
  const child = fork('test/bench/lab-process.ts', [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_LAB_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_LAB_PROF] : [])],
    env: { ...process.env, BENCH_LAB_NODES: String(options.nodes), BENCH_LAB_LATENCY_MS: String(options.latencyMs ?? 0) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const waiting = new Map<number, { resolve(v: LabValue): void; reject(e: Error): void }>();
  let nextId = 1;
  const ready = await new Promise<NonNullable<LabReply['ready']>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the lab process exited early (code ${code})`)));
    child.on('message', (m: LabReply) => {
      if (m.ready) return resolve(m.ready);
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.value!);
    });
  });
  const config = parse(ready.talosconfig) as {
    contexts: Record<string, { endpoints: string[]; nodes: string[]; ca: string; crt: string; key: string }>;
  };
  const context = (who: string) => config.contexts[`${who}@lab`]!;
  return {
    ...ready,
    material: (who) => {
      const ctx = context(who);
      return {
        context: `${who}@lab`,
        endpoints: ctx.endpoints,
        roles: [`os:${who}`],
        caPem: decode(ctx.ca),
        certPem: decode(ctx.crt),
        keyPem: Buffer.from(decode(ctx.key)),
      };
    },
    nodes: () => context('reader').nodes,
    ask: (request) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ ...request, id });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
