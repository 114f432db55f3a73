import { z } from 'zod';

/** Linux TCP states, named and numbered as Netstat's ConnectRecord.State; UDP sockets without a peer are CLOSE. */
export const SOCKET_STATES = [
  'RESERVED',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSEWAIT',
  'LASTACK',
  'LISTEN',
  'CLOSING',
] as const;

/** One socket from `talosctl netstat`. */
export const socketSchema = z.object({
  proto: z.string(),
  localIp: z.string(),
  localPort: z.number(),
  remoteIp: z.string(),
  remotePort: z.number(),
  state: z.string(),
  /** Talos' rule: a socket listens when its remote address is unspecified and its remote port 0. */
  listening: z.boolean(),
  txQueue: z.number(),
  rxQueue: z.number(),
  uid: z.number(),
  inode: z.number(),
  /** Only filled when the request asked for process information. */
  pid: z.number().nullable(),
  process: z.string().nullable(),
  /** The network namespace name; empty for the host's. */
  netns: z.string(),
});
export type Socket = z.infer<typeof socketSchema>;

export const netstatQuerySchema = z.object({
  filter: z.enum(['all', 'listening', 'connected']).default('all'),
  /** Protocols; talosctl's default is all four. */
  protocols: z.array(z.enum(['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'])).default(['tcp', 'tcp6', 'udp', 'udp6']),
  withProcesses: z.boolean().default(true),
  hostNetwork: z.boolean().default(true),
  /** Every pod network namespace (`talosctl netstat -k`). */
  allNamespaces: z.boolean().default(false),
  namespaces: z.array(z.string()).default([]),
});
export type NetstatQuery = z.input<typeof netstatQuerySchema>;
