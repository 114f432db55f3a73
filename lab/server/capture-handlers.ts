import * as grpc from '@grpc/grpc-js';
import { parse } from 'yaml';
import type { MachineServiceServer, PacketCaptureRequest } from '../../proto/gen/machine/machine';
import { runBpf } from '../model/bpf';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW, packetSource, pcapHeader, pcapRecordHeader } from '../model/packets';
import { GrpcError, type Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { data, machineKit } from './machine-kit';

/** How often the simulated interface delivers a burst of frames (tests may shorten it). */
export const captureTimings = { tickMs: 100 };

const LINK_TYPE: Record<string, number> = { ether: LINKTYPE_ETHERNET, loopback: LINKTYPE_ETHERNET, none: LINKTYPE_RAW };

/**
 * PacketCapture as machined serves it (os:operator): the link must exist as a LinkStatus, the filter is a compiled
 * classic BPF program, and the stream is a nanosecond pcap: the 24-byte header, then each packet as two messages
 * (record header, frame). It runs until the client cancels it or its deadline passes.
 */
export function captureHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  const kit = machineKit(router, hooks);
  return {
    packetCapture: kit.stream('PacketCapture', async (node, req: PacketCaptureRequest, _ctx, send, signal) => {
      const link = node.resources.get('network', 'LinkStatuses.net.talos.dev', req.interface);
      if (!link)
        throw new GrpcError(grpc.status.NOT_FOUND, `resource LinkStatuses.net.talos.dev(network/${req.interface}@undefined) doesn't exist`);
      const spec = (parse(link.yamlSpec) ?? {}) as { type?: string; hardwareAddr?: string };
      const linkType = LINK_TYPE[spec.type ?? ''];
      if (linkType === undefined) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `unsupported link type ${spec.type ?? '""'}`);
      const program = req.bpfFilter.map((i) => ({ op: i.op & 0xffff, jt: i.jt & 0xff, jf: i.jf & 0xff, k: i.k >>> 0 }));
      if (program.length && runBpf(program, Buffer.alloc(64)) === null)
        throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'failed to attach BPF filter: invalid argument');
      const snaplen = req.snapLen || 4096;
      send(data(pcapHeader(snaplen, linkType)));
      const next = packetSource(node, router.all(), {
        name: req.interface,
        linkType: linkType as typeof LINKTYPE_ETHERNET,
        hardwareAddr: spec.hardwareAddr ?? '00:00:00:00:00:00',
      });
      while (!signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, captureTimings.tickMs));
        if (signal.aborted || node.down) break;
        const at = node.now();
        next().forEach((frame, i) => {
          if (!(runBpf(program, frame) ?? 0)) return;
          send(data(pcapRecordHeader(at + i * 0.25, frame.length, frame.length)));
          send(data(frame));
        });
      }
    }),
  };
}
