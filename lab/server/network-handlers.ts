import * as grpc from '@grpc/grpc-js';
import { NetstatRequest_Filter as Filter, type MachineServiceServer, type NetstatRequest } from '../../proto/gen/machine/machine';
import { namedNetns, netstat } from '../model/sockets';
import { GrpcError, type Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { machineKit } from './machine-kit';

/** Netstat and PacketCapture, on any node. */
export function networkHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  const kit = machineKit(router, hooks);
  return {
    netstat: kit.unary('Netstat', (node, req: NetstatRequest) => {
      const known = new Set(namedNetns(node));
      const missing = (req.netns?.netns ?? []).find((name) => !known.has(name));
      if (missing) throw new GrpcError(grpc.status.UNKNOWN, `open /var/run/netns/${missing}: no such file or directory`);
      const l4 = req.l4proto;
      const records = netstat(node, router.all(), {
        filter: req.filter === Filter.LISTENING ? 'listening' : req.filter === Filter.CONNECTED ? 'connected' : 'all',
        pid: req.feature?.pid ?? false,
        l4proto: { tcp: l4?.tcp ?? false, tcp6: l4?.tcp6 ?? false, udp: l4?.udp ?? false, udp6: l4?.udp6 ?? false },
        hostnetwork: req.netns?.hostnetwork ?? false,
        netns: req.netns?.netns ?? [],
        allnetns: req.netns?.allnetns ?? false,
      });
      return { messages: [{ metadata: undefined, connectrecord: records }] };
    }),
  };
}
