import { describe, expect, it } from 'vitest';
import { compileBpf, formatDd, parseTcpdumpDd } from './bpf';

describe('capture filters', () => {
  it('compiles tcp port N like tcpdump: IPv4, protocol, not a later fragment, either port, accept with the snaplen', () => {
    const r = compileBpf('tcp port 50000');
    expect(r.ok && r.source).toBe('expression');
    if (!r.ok) return;
    expect(formatDd(r.program)).toContain('{ 0x28, 0, 0, 0x0000000c }');
    expect(r.program.at(-2)).toEqual({ op: 0x06, jt: 0, jf: 0, k: 262144 });
    expect(r.program.at(-1)).toEqual({ op: 0x06, jt: 0, jf: 0, k: 0 });
  });

  it('takes tcpdump -dd output as it is, and an empty filter captures everything', () => {
    const dd = '{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000806 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },';
    expect(parseTcpdumpDd(dd)).toEqual({
      ok: true,
      source: 'tcpdump -dd',
      program: [
        { op: 0x28, jt: 0, jf: 0, k: 12 },
        { op: 0x15, jt: 0, jf: 1, k: 0x806 },
        { op: 6, jt: 0, jf: 0, k: 0x40000 },
        { op: 6, jt: 0, jf: 0, k: 0 },
      ],
    });
    expect(compileBpf(dd).ok).toBe(true);
    expect(compileBpf('  ')).toEqual({ ok: true, program: [], source: 'none' });
  });

  it('says what it cannot compile and what to do instead', () => {
    expect(compileBpf('tcp or udp')).toMatchObject({ ok: false, error: expect.stringMatching(/"or".*tcpdump -dd/) });
    expect(compileBpf('port 70000')).toMatchObject({ ok: false, error: expect.stringMatching(/not a port number/) });
    expect(compileBpf('host fe80::1')).toMatchObject({ ok: false, error: expect.stringMatching(/IPv4/) });
    expect(compileBpf('vlan 5')).toMatchObject({ ok: false, error: expect.stringMatching(/"vlan" is not understood/) });
    expect(compileBpf('tcp and')).toMatchObject({ ok: false });
  });
});
