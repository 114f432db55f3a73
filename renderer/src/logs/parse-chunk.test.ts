import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChunk } from './parse-chunk';
import { parseLogLine } from './parse-line';

const REF = Date.parse('2026-08-21T12:00:00Z');
const kubelet = readFileSync('lab/data/kubelet-sample.jsonl', 'utf8').split('\n').filter(Boolean);
const others = [
  '{"level":"warn","ts":"2026-08-21T10:11:12.345678Z","caller":"etcdserver/server.go:1448","msg":"apply request took too long"}',
  '{"ts":1758106668007.8376,"level":"error","msg":"kubelet line with a level"}',
  '{"ts":1758106668007,"msg":"no fraction","err":"boom"}',
  '{"ts":1758106668007.,"msg":"a point without digits"}',
  '{"ts":12345678901234567890.5,"msg":"more digits than a double holds exactly"}',
  '{"ts":1758106668007.12345678901234567,"msg":"a long fraction"}',
  '{"ts":,"msg":"no digits"}',
  '{"ts":"x","level":"info"}',
  '{"msg":"err key later","ts":1758106668007.5,"err":"x"}',
  '{"ts":1758106668008.25,"msg":"says \\"err\\": in its text, not as a key"}',
  '{"ts":1758106668008.5,"msg":"level key without a string","level":3}',
  'time="2026-08-21T10:11:12.345678901Z" level=info msg="loading plugin"',
  'I1130 19:13:20.567737       1 server_others.go:138] "Detected node IP"',
  '[talos] task setupLogger (1/1): done, 106.109µs',
  'plain text',
  '',
];

describe('parseChunk', () => {
  it('reads every line of a block as parseLogLine reads it alone', () => {
    const lines = [...kubelet, ...others, ...kubelet.slice(0, 50)];
    const text = lines.join('\n');
    const starts = Uint32Array.from(lines, (_, i) => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0));
    const parsed = parseChunk(text, starts, lines.length, REF);
    lines.forEach((line, i) => {
      const alone = parseLogLine(line, REF);
      expect(parsed.severity[i], line).toBe(alone.severity);
      expect(parsed.ts[i], line).toBe(alone.ts);
    });
  });
});
