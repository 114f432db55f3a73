import { Rng } from '../rng';
import type { LabNode } from './node';
import { WORKSTATION_IP } from './sockets';

/** pcap link types Talos' capture writes: Ethernet for ether and loopback links, raw IP for `none` (WireGuard, tun). */
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;

const ip4 = (text: string) => Buffer.from(text.split('.').map(Number));

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv4(src: string, dst: string, proto: number, payload: Buffer, id: number): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt8(0x45, 0);
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(id & 0xffff, 4);
  h.writeUInt16BE(0x4000, 6); // don't fragment
  h.writeUInt8(64, 8);
  h.writeUInt8(proto, 9);
  ip4(src).copy(h, 12);
  ip4(dst).copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return Buffer.concat([h, payload]);
}

function tcp(sport: number, dport: number, seq: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h.writeUInt32BE((seq * 7) >>> 0, 8);
  h.writeUInt8(5 << 4, 12);
  h.writeUInt8(flags, 13);
  h.writeUInt16BE(64240, 14);
  return Buffer.concat([h, data]);
}

function udp(sport: number, dport: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(8 + data.length, 4);
  return Buffer.concat([h, data]);
}

/** A DNS query for `name` (A record), as the host resolver sends it. */
function dnsQuery(id: number, name: string): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

function mac(text: string): Buffer {
  return Buffer.from(text.split(':').map((h) => parseInt(h, 16)));
}

function ether(dst: Buffer, src: Buffer, type: number, payload: Buffer): Buffer {
  const t = Buffer.alloc(2);
  t.writeUInt16BE(type);
  return Buffer.concat([dst, src, t, payload]);
}

export interface CaptureLink {
  name: string;
  linkType: typeof LINKTYPE_ETHERNET | typeof LINKTYPE_RAW;
  hardwareAddr: string;
}

/**
 * Frames a capture on `link` sees, one call per tick: apid traffic from the workstation, etcd peer traffic and
 * API server calls between control planes, kubelet to the API server, DNS to the host resolver, ARP and ping;
 * on `lo`, KubePrism and the host DNS forwarder.
 */
export function packetSource(node: LabNode, cluster: LabNode[], link: CaptureLink): () => Buffer[] {
  const rng = new Rng(parseInt(node.machineId.slice(16, 24), 16) ^ link.name.length);
  const me = node.id.ip;
  const peers = cluster.filter((n) => n !== node && n.id.type === 'controlplane').map((n) => n.id.ip);
  const cp = cluster.find((n) => n.id.type === 'controlplane')?.id.ip ?? me;
  const gatewayMac = mac(link.name === 'lo' ? '00:00:00:00:00:00' : '02:00:0a:05:00:01');
  const ownMac = mac(link.hardwareAddr === '00:00:00:00:00:00' ? '00:00:00:00:00:00' : link.hardwareAddr);
  let ipId = rng.int(1, 60000);
  let seq = rng.int(1, 2 ** 31);
  const eph = rng.int(40000, 60000);

  const frame = (src: string, dst: string, proto: number, l4: Buffer, outbound: boolean): Buffer => {
    const packet = ipv4(src, dst, proto, l4, ipId++);
    if (link.linkType === LINKTYPE_RAW) return packet;
    return outbound ? ether(gatewayMac, ownMac, 0x0800, packet) : ether(ownMac, gatewayMac, 0x0800, packet);
  };
  const flows: (() => Buffer)[] = [];
  if (link.name === 'lo') {
    flows.push(
      () => frame('127.0.0.1', '127.0.0.1', 6, tcp(eph, 7445, (seq += 517), 0x18, Buffer.alloc(rng.int(40, 400))), true),
      () => frame('127.0.0.1', '127.0.0.53', 17, udp(eph + 1, 53, dnsQuery(rng.int(0, 65535), 'kubernetes.default.svc')), true),
    );
  } else {
    flows.push(
      () => frame(WORKSTATION_IP, me, 6, tcp(eph, 50000, (seq += 311), 0x18, Buffer.alloc(rng.int(60, 900))), false),
      () => frame(me, WORKSTATION_IP, 6, tcp(50000, eph, (seq += 1448), 0x18, Buffer.alloc(rng.int(200, 1400))), true),
      () => frame(me, cp, 6, tcp(eph + 2, 6443, (seq += 97), 0x18, Buffer.alloc(rng.int(80, 600))), true),
      () => frame(me, WORKSTATION_IP, 17, udp(eph + 3, 53, dnsQuery(rng.int(0, 65535), 'time.cloudflare.com')), true),
      () => frame(WORKSTATION_IP, me, 1, Buffer.from([8, 0, 0, 0, 0, 1, 0, rng.int(0, 255)]), false),
    );
    for (const peer of peers)
      flows.push(() => frame(me, peer, 6, tcp(eph + 4, 2380, (seq += 60), 0x18, Buffer.alloc(rng.int(30, 300))), true));
    if (link.linkType === LINKTYPE_ETHERNET)
      flows.push(() => {
        const arp = Buffer.concat([Buffer.from([0, 1, 8, 0, 6, 4, 0, 1]), gatewayMac, ip4(WORKSTATION_IP), Buffer.alloc(6), ip4(me)]);
        return ether(mac('ff:ff:ff:ff:ff:ff'), gatewayMac, 0x0806, arp);
      });
  }
  return () => Array.from({ length: rng.int(2, 6) }, () => rng.pick(flows)());
}

/** The nanosecond pcap file header: LE magic 0xA1B23C4D, version 2.4. */
export function pcapHeader(snaplen: number, linkType: number): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b23c4d, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(snaplen, 16);
  h.writeUInt32LE(linkType, 20);
  return h;
}

/** A record header: seconds, nanoseconds, captured and original length. */
export function pcapRecordHeader(atMs: number, captured: number, length: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(Math.floor(atMs / 1000), 0);
  h.writeUInt32LE(Math.round((atMs % 1000) * 1e6), 4);
  h.writeUInt32LE(captured, 8);
  h.writeUInt32LE(length, 12);
  return h;
}
