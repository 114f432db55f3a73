import { MachineServiceService as M, NetstatRequest_Filter as Filter, type ConnectRecord } from '../../../proto/gen/machine/machine';
import { SOCKET_STATES, netstatQuerySchema, type NetstatQuery, type Socket } from '../../../shared/domain/network';
import type { TalosClient } from '../client';

const UNSPECIFIED = new Set(['', '0.0.0.0', '::']);

export function toSocket(r: ConnectRecord): Socket {
  return {
    proto: r.l4proto,
    localIp: r.localip,
    localPort: r.localport,
    remoteIp: r.remoteip,
    remotePort: r.remoteport,
    state: SOCKET_STATES[r.state] ?? String(r.state),
    listening: UNSPECIFIED.has(r.remoteip) && r.remoteport === 0,
    txQueue: Number(r.txqueue),
    rxQueue: Number(r.rxqueue),
    uid: r.uid,
    inode: Number(r.inode),
    pid: r.process ? r.process.pid : null,
    process: r.process ? r.process.name : null,
    netns: r.netns,
  };
}

/** Network read-outs: sockets (Netstat) and, in the same group, the COSI network resources. */
export class NetworkCalls {
  constructor(private readonly client: TalosClient) {}

  /** `talosctl netstat` (defaults: TCP and UDP over IPv4 and IPv6, host namespace, with processes). */
  async netstat(node: string, query: NetstatQuery = {}): Promise<Socket[]> {
    const q = netstatQuerySchema.parse(query);
    const has = (p: (typeof q.protocols)[number]) => q.protocols.includes(p);
    const response = await this.client.connection.unary(
      M.netstat,
      {
        filter: q.filter === 'listening' ? Filter.LISTENING : q.filter === 'connected' ? Filter.CONNECTED : Filter.ALL,
        feature: { pid: q.withProcesses },
        l4proto: {
          tcp: has('tcp'),
          tcp6: has('tcp6'),
          udp: has('udp'),
          udp6: has('udp6'),
          udplite: has('udplite'),
          udplite6: has('udplite6'),
          raw: has('raw'),
          raw6: has('raw6'),
        },
        netns: { hostnetwork: q.hostNetwork, netns: q.namespaces, allnetns: q.allNamespaces },
      },
      node,
    );
    return (response.messages[0]?.connectrecord ?? []).map(toSocket);
  }
}
