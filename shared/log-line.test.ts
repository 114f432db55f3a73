import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLogLine, SEVERITY } from './log-line';

const REF = Date.parse('2026-08-21T12:00:00Z');
const sample = readFileSync('lab/data/kubelet-sample.jsonl', 'utf8').split('\n').filter(Boolean);

describe('log line parsers', () => {
  it('reads every line of the real kubelet capture (ts in ms), errors by their err field', () => {
    for (const line of sample) {
      const p = parseLogLine(line, REF);
      expect(Number.isFinite(p.ts), line).toBe(true);
      expect(p.ts).toBe(Number(/"ts":([\d.]+)/.exec(line)![1]));
    }
    const withErr = sample.find((l) => l.includes('"err":'))!;
    expect(parseLogLine(withErr, REF).severity).toBe(SEVERITY.error);
    expect(parseLogLine(sample[0]!, REF).severity).toBe(SEVERITY.info);
  });

  it('reads etcd JSON, containerd/logrus, klog and CRI', () => {
    expect(
      parseLogLine(
        '{"level":"warn","ts":"2026-08-21T10:11:12.345678Z","caller":"etcdserver/server.go:1448","msg":"apply request took too long"}',
        REF,
      ),
    ).toMatchObject({ ts: Date.parse('2026-08-21T10:11:12.345Z'), severity: SEVERITY.warn });
    expect(parseLogLine('time="2026-08-21T10:11:12.345678901Z" level=info msg="loading plugin"', REF)).toMatchObject({
      ts: Date.parse('2026-08-21T10:11:12.345Z'),
      severity: SEVERITY.info,
    });
    expect(
      parseLogLine('I1130 19:13:20.567737       1 server_others.go:138] "Detected node IP"', Date.parse('2021-12-01T00:00:00Z')),
    ).toMatchObject({ ts: Date.UTC(2021, 10, 30, 19, 13, 20, 567), severity: SEVERITY.info });
    expect(
      parseLogLine('2021-11-30T19:13:20.567825192Z stderr F E1130 19:13:20.567737       1 server_others.go:138] "boom"', REF),
    ).toMatchObject({ ts: Date.parse('2021-11-30T19:13:20.567Z'), severity: SEVERITY.error });
  });

  it('keeps machined [talos] lines untimed and reads dmesg, zap (with ANSI), Go log, syslog and audit', () => {
    expect(Number.isNaN(parseLogLine('[talos] task setupLogger (1/1): done, 106.109µs', REF).ts)).toBe(true);
    expect(parseLogLine('kern:    info: [2021-11-10T10:09:37.662764956Z]: Command line: init_on_alloc=1', REF)).toMatchObject({
      ts: Date.parse('2021-11-10T10:09:37.662Z'),
      severity: SEVERITY.info,
    });
    expect(parseLogLine('user: warning: [2023-04-26T19:17:52.550527204Z]: [talos] rendered new static pod', REF).severity).toBe(
      SEVERITY.warn,
    );
    const zap = parseLogLine('2026-08-21T10:11:12.345Z \x1b[31mERROR\x1b[0m setting hostname {"component": "controller-runtime"}', REF);
    expect(zap).toMatchObject({
      ts: Date.parse('2026-08-21T10:11:12.345Z'),
      severity: SEVERITY.error,
      text: '2026-08-21T10:11:12.345Z ERROR setting hostname {"component": "controller-runtime"}',
    });
    expect(parseLogLine('2026/08/21 10:11:12.345678 log.go:118: OK [/machine.MachineService/Version] 1.2ms stream Success', REF).ts).toBe(
      Date.UTC(2026, 7, 21, 10, 11, 12, 345),
    );
    expect(parseLogLine('<11>1 2026-08-21T10:11:12.000Z host kubelet - - - started', REF).severity).toBe(SEVERITY.error);
    expect(parseLogLine('type=SYSCALL msg=audit(1755771072.123:456): pid=1', REF).ts).toBe(1755771072123);
    expect(Number.isNaN(parseLogLine('<img src=x onerror=alert(1)>', REF).ts)).toBe(true);
  });
});
