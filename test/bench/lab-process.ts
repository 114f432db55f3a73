import { startLab } from '../../lab/cluster';
import { LogBuffer } from '../../lab/model/log-buffer';
import type { LabReply, LabRequest } from './lab-handle';

/**
 * The practice cluster in its own process for the benchmarks (real nodes do not share the client's CPU),
 * driven over the IPC channel of `child_process.fork`: fill a log with N lines, set a log's rate, count
 * what a log has generated.
 */
const nodes = Number(process.env.BENCH_LAB_NODES ?? 1);
const latencyMs = Number(process.env.BENCH_LAB_LATENCY_MS ?? 0);
const lab = await startLab({ nodes, logRate: 0, latencyMs, seed: 5 });

/** Lines appended per node and log since the last `fill` or `rate`: what a follower should have received. */
const generated = new Map<string, number>();
function counted(node: string, log: string): LogBuffer {
  const source = lab.node(node).logs.get(log);
  if (!source) throw new Error(`no log ${log} on ${node}`);
  const buffer = source.buffer;
  const key = `${node}|${log}`;
  if (!(buffer as { counting?: boolean }).counting) {
    const append = buffer.append.bind(buffer);
    buffer.append = (lines: string[]) => {
      generated.set(key, (generated.get(key) ?? 0) + lines.length);
      append(lines);
    };
    (buffer as { counting?: boolean }).counting = true;
  }
  return buffer;
}

function handle(m: LabRequest): LabReply['value'] {
  switch (m.type) {
    case 'fill': {
      const node = lab.node(m.node);
      const source = node.logs.get(m.log)!;
      source.rate = 0;
      source.buffer = new LogBuffer(m.capacityBytes);
      const lines = new Array<string>(m.lines);
      let ts = Date.now() - m.lines * m.stepMs - 60_000;
      for (let i = 0; i < m.lines; i++) lines[i] = source.make((ts += m.stepMs), node.rng);
      let bytes = 0;
      for (const line of lines) bytes += Buffer.byteLength(line) + 1;
      source.buffer.append(lines);
      source.generatedUntil = Date.now();
      generated.set(`${m.node}|${m.log}`, 0);
      counted(m.node, m.log);
      return { lines: m.lines, bytes };
    }
    case 'rate': {
      counted(m.node, m.log);
      lab.setLogRate(m.rate, m.node, m.log);
      return { lines: generated.get(`${m.node}|${m.log}`) ?? 0, bytes: 0 };
    }
    case 'generated':
      return { lines: generated.get(`${m.node}|${m.log}`) ?? 0, bytes: 0 };
    case 'cpu': {
      const cpu = process.cpuUsage();
      return { lines: 0, bytes: 0, cpuUs: cpu.user + cpu.system };
    }
  }
}

process.on('message', (m: LabRequest) => {
  try {
    process.send!({ id: m.id, value: handle(m) } satisfies LabReply);
  } catch (error) {
    process.send!({ id: m.id, error: String(error) } satisfies LabReply);
  }
});
process.on('disconnect', () => void lab.stop().then(() => process.exit(0)));
process.send!({ id: 0, value: { lines: 0, bytes: 0 }, ready: { endpoint: lab.endpoint, talosconfig: lab.talosconfig } } satisfies LabReply);
