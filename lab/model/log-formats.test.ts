import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { kubeletBootLines, makeLineMakers } from './log-formats';

const sample = readFileSync(new URL('../data/kubelet-sample.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('kubelet log lines', () => {
  it('are kubelet JSON with "ts" first, as a node writes them, errors included', () => {
    const make = makeLineMakers('lab-controlplane-1').kubelet!;
    const rng = new Rng(1);
    const lines = Array.from({ length: 200 }, (_, i) => make(1_758_106_668_000 + i * 10, rng));
    lines.forEach((line, i) => {
      const { ts, ...rest } = JSON.parse(line) as Record<string, unknown>;
      expect(ts).toBe(1_758_106_668_000 + i * 10 + ((i + 1) % 1000) / 1000);
      expect(typeof rest.msg).toBe('string');
      expect(line).toBe(JSON.stringify({ ts, ...rest }));
    });
    const errors = lines.filter((l) => 'err' in (JSON.parse(l) as object));
    expect(errors.length).toBe(4); // one line in 50
    expect(errors.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('Unable to fetch pod log stats');
  });

  it('replay the real start-up with only the timestamps moved, byte for byte', () => {
    expect(kubeletBootLines(1000)).toEqual(
      sample.map((template, i) => {
        const { ts: _ts, ...rest } = template;
        return JSON.stringify({ ts: 1000 + i + 0.5, ...rest });
      }),
    );
  });
});
