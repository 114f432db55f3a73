/** A classic BPF interpreter, enough for the programs tcpdump -dd emits for Ethernet captures (as AF_PACKET runs them). */
export interface Instruction {
  op: number;
  jt: number;
  jf: number;
  k: number;
}

/** The number of bytes to keep (0 = drop), or null when the program is invalid. */
export function runBpf(program: Instruction[], packet: Buffer): number | null {
  if (program.length === 0) return packet.length;
  let a = 0;
  let x = 0;
  const mem = new Uint32Array(16);
  const load = (at: number, size: 1 | 2 | 4): number | null => {
    if (at < 0 || at + size > packet.length) return null;
    return size === 1 ? packet.readUInt8(at) : size === 2 ? packet.readUInt16BE(at) : packet.readUInt32BE(at);
  };
  for (let pc = 0; pc < program.length; pc++) {
    const { op, jt, jf, k } = program[pc]!;
    const cls = op & 0x07;
    const size = ({ 0x00: 4, 0x08: 2, 0x10: 1 } as const)[op & (0x18 as 0 | 8 | 16)] ?? 4;
    const mode = op & 0xe0;
    switch (cls) {
      case 0x00: // ld
      case 0x01: {
        // ldx
        let v: number | null;
        if (mode === 0x00)
          v = k; // imm
        else if (mode === 0x20)
          v = load(k, size); // abs
        else if (mode === 0x40)
          v = load(x + k, size); // ind
        else if (mode === 0x60)
          v = mem[k & 15]!; // mem
        else if (mode === 0x80)
          v = packet.length; // len
        else if (mode === 0xa0 && cls === 0x01) {
          const b = load(k, 1); // msh: 4 * (P[k] & 0xf)
          v = b === null ? null : (b & 0x0f) * 4;
        } else return null;
        if (v === null) return 0; // out-of-bounds loads reject the packet
        if (cls === 0x00) a = v >>> 0;
        else x = v >>> 0;
        break;
      }
      case 0x02: // st
        mem[k & 15] = a;
        break;
      case 0x03: // stx
        mem[k & 15] = x;
        break;
      case 0x04: {
        // alu
        const v = op & 0x08 ? x : k;
        switch (op & 0xf0) {
          case 0x00:
            a = (a + v) >>> 0;
            break;
          case 0x10:
            a = (a - v) >>> 0;
            break;
          case 0x20:
            a = Math.imul(a, v) >>> 0;
            break;
          case 0x30:
            if (v === 0) return 0;
            a = Math.floor(a / v) >>> 0;
            break;
          case 0x40:
            a = (a | v) >>> 0;
            break;
          case 0x50:
            a = (a & v) >>> 0;
            break;
          case 0x60:
            a = (a << v) >>> 0;
            break;
          case 0x70:
            a = a >>> v;
            break;
          case 0x80:
            a = -a >>> 0;
            break;
          case 0x90:
            if (v === 0) return 0;
            a = (a % v) >>> 0;
            break;
          case 0xa0:
            a = (a ^ v) >>> 0;
            break;
          default:
            return null;
        }
        break;
      }
      case 0x05: {
        // jmp
        const v = op & 0x08 ? x : k;
        const test = op & 0xf0;
        if (test === 0x00) {
          pc += k;
          break;
        }
        const hit = test === 0x10 ? a === v : test === 0x20 ? a > v : test === 0x30 ? a >= v : test === 0x40 ? (a & v) !== 0 : null;
        if (hit === null) return null;
        pc += hit ? jt : jf;
        break;
      }
      case 0x06: // ret
        return Math.min((op & 0x18) === 0x10 ? a : k, packet.length);
      case 0x07: // misc: tax / txa
        if (op & 0x80) a = x;
        else x = a;
        break;
    }
  }
  return null;
}
