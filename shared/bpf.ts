/**
 * Classic BPF for packet capture filters. Talos' PacketCapture takes a compiled program (`tcpdump -dd` output),
 * not an expression: this module parses that output and compiles the common expressions operators type
 * (`tcp port 50000`, `udp and port 53`, `host 10.5.0.2 and not arp`, `icmp`) for Ethernet (pcap linktype 1),
 * IPv4 only. Anything else: paste `tcpdump -dd -y EN10MB '<expr>'` output instead.
 */
export interface BpfInstruction {
  op: number;
  jt: number;
  jf: number;
  k: number;
}

export type BpfParse =
  { ok: true; program: BpfInstruction[]; source: 'expression' | 'tcpdump -dd' | 'none' } | { ok: false; error: string };

const SNAPLEN = 262144;
const LD_H_ABS = 0x28;
const LD_B_ABS = 0x30;
const LD_W_ABS = 0x20;
const LDX_MSH = 0xb1;
const LD_H_IND = 0x48;
const JEQ = 0x15;
const JSET = 0x45;
const RET = 0x06;

const ETHERTYPE = { ip: 0x0800, arp: 0x0806, ip6: 0x86dd } as const;
const PROTO = { icmp: 1, tcp: 6, udp: 17 } as const;

/** `{ 0x28, 0, 0, 0x0000000c },` lines as tcpdump -dd prints them. */
export function parseTcpdumpDd(text: string): BpfParse {
  const rows = [...text.matchAll(/\{\s*(0x[0-9a-f]+|\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(0x[0-9a-f]+|\d+)\s*\}/gi)];
  if (!rows.length) return { ok: false, error: 'No instructions found: paste what `tcpdump -dd -y EN10MB <expression>` prints.' };
  const program = rows.map((m) => ({ op: Number(m[1]), jt: Number(m[2]), jf: Number(m[3]), k: Number(m[4]) >>> 0 }));
  const bad = program.findIndex((i) => i.op > 0xffff || i.jt > 255 || i.jf > 255);
  if (bad >= 0) return { ok: false, error: `Instruction ${bad + 1} is out of range (op ≤ 0xffff, jt and jf ≤ 255).` };
  if (program.length > 4096) return { ok: false, error: 'A classic BPF program has at most 4096 instructions.' };
  return { ok: true, program, source: 'tcpdump -dd' };
}

/** One test the packet must pass; `not` inverts it. */
type Term =
  | { kind: 'proto'; name: keyof typeof PROTO | 'arp' | 'ip' | 'ip6' }
  | { kind: 'port'; port: number; proto: 'tcp' | 'udp' | null }
  | { kind: 'host'; ip: number; dir: 'src' | 'dst' | null };
type Clause = Term & { not: boolean };

function ipv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function parseExpression(expression: string): Clause[] | string {
  const words = expression.trim().toLowerCase().split(/\s+/);
  const clauses: Clause[] = [];
  let i = 0;
  const port = (text: string | undefined) => {
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
  };
  while (i < words.length) {
    let not = false;
    if (words[i] === 'not' || words[i] === '!') {
      not = true;
      i++;
    }
    const w = words[i];
    if (w === undefined) return 'The expression ends after "not".';
    if ((w === 'tcp' || w === 'udp') && words[i + 1] === 'port') {
      const p = port(words[i + 2]);
      if (p === null) return `"${words[i + 2] ?? ''}" is not a port number (0–65535).`;
      clauses.push({ kind: 'port', port: p, proto: w, not });
      i += 3;
    } else if (w === 'port') {
      const p = port(words[i + 1]);
      if (p === null) return `"${words[i + 1] ?? ''}" is not a port number (0–65535).`;
      clauses.push({ kind: 'port', port: p, proto: null, not });
      i += 2;
    } else if (w === 'host' || ((w === 'src' || w === 'dst') && words[i + 1] === 'host')) {
      const dir = w === 'host' ? null : w;
      const at = w === 'host' ? i + 1 : i + 2;
      const ip = ipv4(words[at] ?? '');
      if (ip === null)
        return `"${words[at] ?? ''}" is not an IPv4 address (this compiler handles IPv4; paste tcpdump -dd output for IPv6).`;
      clauses.push({ kind: 'host', ip, dir, not });
      i = at + 1;
    } else if (w === 'tcp' || w === 'udp' || w === 'icmp' || w === 'arp' || w === 'ip' || w === 'ip6') {
      clauses.push({ kind: 'proto', name: w, not });
      i += 1;
    } else {
      return `"${w}" is not understood here: use tcp, udp, icmp, arp, ip, ip6, [tcp|udp] port N, [src|dst] host A.B.C.D, "not" and "and" — or paste tcpdump -dd output.`;
    }
    if (i < words.length) {
      if (words[i] === 'or' || words[i] === '||')
        return '"or" is not supported by the built-in compiler; paste `tcpdump -dd` output for it.';
      if (words[i] !== 'and' && words[i] !== '&&') return `Expected "and" before "${words[i]}".`;
      i++;
      if (i === words.length) return 'The expression ends after "and".';
    }
  }
  return clauses;
}

/**
 * Emits code for one term: `pass` and `fail` are labels. Jumps are forward-only and relative in classic BPF, so
 * labels are resolved after the whole program is laid out.
 */
type Op = { op: number; k: number; jt?: string; jf?: string } | { label: string };

function termCode(t: Term, pass: string, fail: string, id: string): Op[] {
  const ether = (type: number, onNo = fail): Op[] => [
    { op: LD_H_ABS, k: 12 },
    { op: JEQ, k: type, jf: onNo },
  ];
  if (t.kind === 'proto') {
    if (t.name === 'arp' || t.name === 'ip' || t.name === 'ip6') return [...ether(ETHERTYPE[t.name]), { op: 0x05, k: 0, jt: pass }];
    return [...ether(ETHERTYPE.ip), { op: LD_B_ABS, k: 23 }, { op: JEQ, k: PROTO[t.name], jt: pass, jf: fail }];
  }
  if (t.kind === 'host') {
    const checks: Op[] = [];
    if (t.dir !== 'dst') checks.push({ op: LD_W_ABS, k: 26 }, { op: JEQ, k: t.ip, jt: pass });
    if (t.dir !== 'src') checks.push({ op: LD_W_ABS, k: 30 }, { op: JEQ, k: t.ip, jt: pass });
    return [...ether(ETHERTYPE.ip), ...checks, { op: 0x05, k: 0, jt: fail }];
  }
  const protoCheck: Op[] = t.proto
    ? [
        { op: LD_B_ABS, k: 23 },
        { op: JEQ, k: PROTO[t.proto], jf: fail },
      ]
    : [{ op: LD_B_ABS, k: 23 }, { op: JEQ, k: PROTO.tcp, jt: `${id}-l4` }, { op: JEQ, k: PROTO.udp, jf: fail }, { label: `${id}-l4` }];
  return [
    ...ether(ETHERTYPE.ip),
    ...protoCheck,
    // A fragment after the first has no ports.
    { op: LD_H_ABS, k: 20 },
    { op: JSET, k: 0x1fff, jt: fail },
    { op: LDX_MSH, k: 14 },
    { op: LD_H_IND, k: 14 },
    { op: JEQ, k: t.port, jt: pass },
    { op: LD_H_IND, k: 16 },
    { op: JEQ, k: t.port, jt: pass, jf: fail },
  ];
}

function layout(ops: Op[]): BpfInstruction[] | string {
  const at = new Map<string, number>();
  const code: Exclude<Op, { label: string }>[] = [];
  for (const o of ops) {
    if ('label' in o) at.set(o.label, code.length);
    else code.push(o);
  }
  const out: BpfInstruction[] = [];
  for (let i = 0; i < code.length; i++) {
    const o = code[i]!;
    const rel = (label: string | undefined) => {
      if (label === undefined) return 0;
      const target = at.get(label)!;
      return target - (i + 1);
    };
    const jt = rel(o.jt);
    const jf = rel(o.jf);
    if (jt < 0 || jf < 0 || jt > 255 || jf > 255)
      return 'The expression is too long for classic BPF jumps; paste tcpdump -dd output instead.';
    // An unconditional jump (`ja`) carries its offset in k.
    if (o.op === 0x05) out.push({ op: o.op, jt: 0, jf: 0, k: jt });
    else out.push({ op: o.op, jt, jf, k: o.k >>> 0 });
  }
  return out;
}

/** Compiles an `and` of the common primitives; an empty expression captures everything (no filter). */
export function compileBpf(expression: string, snaplen = SNAPLEN): BpfParse {
  if (!expression.trim()) return { ok: true, program: [], source: 'none' };
  if (expression.includes('{')) return parseTcpdumpDd(expression);
  const clauses = parseExpression(expression);
  if (typeof clauses === 'string') return { ok: false, error: clauses };
  const ops: Op[] = [];
  clauses.forEach((c, n) => {
    const next = `next-${n}`;
    // Each clause falls through to the next one when it holds, and to reject when it does not.
    ops.push(...termCode(c, c.not ? 'reject' : next, c.not ? next : 'reject', `c${n}`), { label: next });
  });
  ops.push({ op: RET, k: snaplen }, { label: 'reject' }, { op: RET, k: 0 });
  const program = layout(ops);
  if (typeof program === 'string') return { ok: false, error: program };
  return { ok: true, program, source: 'expression' };
}

/** The program as `tcpdump -dd` prints it, to show what is sent. */
export function formatDd(program: BpfInstruction[]): string {
  const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;
  return program.map((i) => `{ ${hex(i.op, 2)}, ${i.jt}, ${i.jf}, ${hex(i.k, 8)} },`).join('\n');
}
