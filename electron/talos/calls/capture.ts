import { MachineServiceService as M } from '../../../proto/gen/machine/machine';
import type { BpfInstruction } from '../../../shared/bpf';
import type { TalosConnection } from '../connection';

export interface CaptureOptions {
  interface: string;
  promiscuous: boolean;
  snapLen: number;
  filter: BpfInstruction[];
  /** talosctl pcap --duration: the capture ends (normally) when it has run this long. */
  durationMs: number;
}

/** Counts pcap records in a byte stream that arrives in arbitrary pieces (24-byte header, then 16-byte record headers + frames). */
export class PcapCounter {
  packets = 0;
  private pending = Buffer.alloc(0);
  private headerSeen = false;
  private skip = 0;

  push(bytes: Uint8Array): void {
    let buf = Buffer.concat([this.pending, bytes]);
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length);
        this.skip -= n;
        buf = buf.subarray(n);
        if (this.skip > 0) break;
      }
      if (!this.headerSeen) {
        if (buf.length < 24) break;
        this.headerSeen = true;
        buf = buf.subarray(24);
        continue;
      }
      if (buf.length < 16) break;
      this.skip = buf.readUInt32LE(8);
      this.packets++;
      buf = buf.subarray(16);
    }
    this.pending = Buffer.from(buf);
  }
}

/**
 * `talosctl pcap` (os:operator): the node streams a nanosecond pcap until the duration ends or `signal` aborts.
 * Running out the duration is the normal end (talosctl treats its DeadlineExceeded the same way).
 */
export async function packetCapture(
  connection: TalosConnection,
  node: string,
  o: CaptureOptions,
  onBytes: (bytes: Uint8Array, packets: number) => void,
  signal?: AbortSignal,
): Promise<{ packets: number; endedBy: 'duration' | 'cancel' }> {
  const stop = new AbortController();
  // The duration counts from the pcap header, so connecting to a slow node does not eat into it.
  let timer: NodeJS.Timeout | undefined;
  const onCancel = () => stop.abort();
  signal?.addEventListener('abort', onCancel, { once: true });
  const counter = new PcapCounter();
  try {
    await connection.stream(
      M.packetCapture,
      { interface: o.interface, promiscuous: o.promiscuous, snapLen: o.snapLen, bpfFilter: o.filter },
      node,
      (d) => {
        timer ??= setTimeout(() => stop.abort(), o.durationMs);
        counter.push(d.bytes);
        onBytes(d.bytes, counter.packets);
      },
      stop.signal,
    );
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
  }
  return { packets: counter.packets, endedBy: signal?.aborted ? 'cancel' : 'duration' };
}
