import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { captureTimings } from '../../lab/server/capture-handlers';
import { timings } from '../../lab/server/lifecycle';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import { compileBpf } from '../../shared/bpf';
import { packetCapture } from '../../electron/talos/calls/capture';
import { reset, rollback } from '../../electron/talos/calls/reset-rollback';
import { lifecycleCalls } from '../../electron/talos/calls/lifecycle';
import type { TalosClient } from '../../electron/talos/client';
import { labClient } from '../helpers/lab-identity';

const W = '10.5.0.3';

let lab: Lab;
let admin: TalosClient;
let operator: TalosClient;
let reader: TalosClient;

captureTimings.tickMs = 20;
timings.stepMs = 20;
timings.rebootDowntimeMs = 200;

beforeAll(async () => {
  lab = await startLab({ nodes: 3, controlPlanes: 1, seed: 4, logRate: 0 });
  admin = labClient(lab, 'admin');
  operator = labClient(lab, 'operator');
  reader = labClient(lab, 'reader');
});
afterAll(async () => {
  for (const c of [admin, operator, reader]) c.close();
  await lab.stop();
});

/** The records of a nanosecond pcap: [ipProto or ethertype, ports] per frame. */
function records(file: Buffer) {
  const out: { frame: Buffer; caplen: number; len: number; nsec: number }[] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const caplen = file.readUInt32LE(at + 8);
    out.push({ nsec: file.readUInt32LE(at + 4), caplen, len: file.readUInt32LE(at + 12), frame: file.subarray(at + 16, at + 16 + caplen) });
    at += 16 + caplen;
  }
  return out;
}

async function capture(client: TalosClient, filter: string, iface = 'eth0', durationMs = 300) {
  const parts: Buffer[] = [];
  const compiled = compileBpf(filter);
  if (!compiled.ok) throw new Error(compiled.error);
  const result = await packetCapture(
    client.connection,
    W,
    { interface: iface, promiscuous: false, snapLen: 4096, filter: compiled.program, durationMs },
    (b) => parts.push(Buffer.from(b)),
  );
  return { ...result, file: Buffer.concat(parts) };
}

describe('PacketCapture', () => {
  it('streams a nanosecond pcap: header first, then each packet as record header and frame, until the duration ends', async () => {
    const messages: number[] = [];
    const { file, packets, endedBy } = await capture(operator, '');
    expect(endedBy).toBe('duration');
    expect(file.subarray(0, 4)).toEqual(Buffer.from([0x4d, 0x3c, 0xb2, 0xa1]));
    expect([file.readUInt16LE(4), file.readUInt16LE(6), file.readUInt32LE(16), file.readUInt32LE(20)]).toEqual([2, 4, 4096, 1]);
    const recs = records(file);
    expect(recs.length).toBe(packets);
    expect(packets).toBeGreaterThan(3);
    for (const r of recs) {
      expect(r.frame.length).toBe(r.caplen);
      expect(r.nsec).toBeLessThan(1e9);
    }
    // Two Data messages per packet after the header, as machined sends them.
    const abort = new AbortController();
    await admin.connection
      .stream(
        M.packetCapture,
        { interface: 'eth0', promiscuous: false, snapLen: 0, bpfFilter: [] },
        W,
        (d) => messages.push(d.bytes.length) > 20 && abort.abort(),
        abort.signal,
      )
      .catch(() => undefined);
    expect(messages[0]).toBe(24);
    expect(
      messages
        .slice(1)
        .filter((_, i) => i % 2 === 0)
        .every((n) => n === 16),
    ).toBe(true);
  });

  it('applies the compiled BPF filter on the node: only TCP port 50000 frames arrive', async () => {
    const { file } = await capture(operator, 'tcp port 50000');
    const recs = records(file);
    expect(recs.length).toBeGreaterThan(0);
    for (const { frame } of recs) {
      expect(frame.readUInt16BE(12)).toBe(0x0800);
      expect(frame[23]).toBe(6);
      const ihl = (frame[14]! & 0x0f) * 4;
      expect([frame.readUInt16BE(14 + ihl), frame.readUInt16BE(16 + ihl)]).toContain(50000);
    }
    const { file: arpOnly } = await capture(operator, 'arp');
    for (const { frame } of records(arpOnly)) expect(frame.readUInt16BE(12)).toBe(0x0806);
    const { file: notTcp } = await capture(operator, 'not tcp and ip');
    for (const { frame } of records(notTcp)) expect(frame[23]).not.toBe(6);
  });

  it('refuses readers, unknown links, and captures lo as Ethernet', async () => {
    await expect(capture(reader, '')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(capture(operator, '', 'eth9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { file } = await capture(operator, 'port 7445', 'lo');
    expect(file.readUInt32LE(20)).toBe(1);
    expect(records(file).length).toBeGreaterThan(0);
  });
});

describe('Reset and Rollback', () => {
  it('Rollback needs os:admin and a previous boot entry; after an upgrade it returns to the old version', async () => {
    await expect(rollback(operator.connection, W)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(rollback(admin.connection, W)).rejects.toThrow(/no previous boot entry/);
    const node = lab.nodes.find((n) => n.id.ip === W)!;
    const before = node.talosVersion;
    await lifecycleCalls(admin.connection).upgrade(W, {
      image: 'ghcr.io/siderolabs/installer:v1.14.0',
      stage: false,
      force: false,
      preserve: false,
      rebootMode: 'default',
    });
    await expect.poll(() => node.talosVersion, { timeout: 5000 }).toBe('v1.14.0');
    await expect.poll(() => node.reachable, { timeout: 5000 }).toBe(true);
    await rollback(admin.connection, W);
    await expect.poll(() => node.talosVersion, { timeout: 5000 }).toBe(before);
    await expect
      .poll(
        () =>
          admin
            .version(W)
            .then((v) => v.tag)
            .catch(() => ''),
        { timeout: 10_000 },
      )
      .toBe(before);
  });

  it('Reset validates wipe modes and disks, returns an actor id, runs the reset sequence and takes the node away', async () => {
    const base = { graceful: true, reboot: true, systemLabels: [], userDisks: [] };
    await expect(reset(operator.connection, W, { ...base, mode: 'all' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(reset(admin.connection, W, { ...base, mode: 'system-disk', userDisks: ['/dev/vdb'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(reset(admin.connection, W, { ...base, mode: 'user-disks', systemLabels: ['EPHEMERAL'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(reset(admin.connection, W, { ...base, mode: 'all', userDisks: ['/dev/vda'] })).rejects.toThrow(/system disk/);
    await expect(reset(admin.connection, W, { ...base, mode: 'all', systemLabels: ['NOPE'] })).rejects.toThrow(/NOPE/);
    const events: string[] = [];
    const abort = new AbortController();
    void admin.events(W, { tailEvents: 0 }, (e) => events.push(`${e.type}:${JSON.stringify(e)}`), abort.signal).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    const actor = await reset(admin.connection, W, { ...base, mode: 'system-disk', systemLabels: ['EPHEMERAL', 'STATE'] });
    expect(actor).toMatch(/.+/);
    const node = lab.nodes.find((n) => n.id.ip === W)!;
    await expect.poll(() => events.join('\n'), { timeout: 5000 }).toMatch(/stopAllServices.*stop/);
    await expect.poll(() => node.reachable, { timeout: 5000 }).toBe(false);
    abort.abort();
    expect(events.join('\n')).toMatch(/reset/);
    expect(events.join('\n')).toMatch(/stopAllServices/);
  });
});
