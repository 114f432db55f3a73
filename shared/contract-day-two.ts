import { z } from 'zod';
import { cgroupSchema } from './domain/cgroups';
import { criImageSchema, imageStoreSchema } from './domain/compliance';
import { perNode } from './domain/node';
import { socketSchema } from './domain/network';
import { containerStatSchema, discoveredVolumeSchema, diskSchema, diskUsageEntrySchema } from './domain/storage';

const identityId = z.string().min(1).max(200);
const nodes = z.array(z.string().min(1).max(300)).min(1, 'Select at least one node.').max(1024);
const target = { identityId, nodes };
const node = z.string().min(1).max(300);
const downloadId = z.string().min(1).max(100);
const filePath = z.string().min(1).max(4096).startsWith('/', 'Paths on a Talos node are absolute, like /var/log.');

/** What every download answers: where it went (desktop), how much, whether cancelled, and the SHA-256 of what was saved. */
const downloadResult = { savedTo: z.string().nullable(), bytes: z.number(), cancelled: z.boolean(), sha256: z.string() };

export const supportManifestSchema = z.object({
  nodes: z.array(z.object({ node: z.string(), files: z.number(), errors: z.array(z.string()) })),
  files: z.number(),
  /** Sensitive resource types whose specs were written as `<REDACTED>`. */
  redactedTypes: z.array(z.string()),
});
export type SupportManifest = z.infer<typeof supportManifestSchema>;

/** Day-two calls that read nodes or save what they stream; the ones that change nodes are operation kinds. */
export const dayTwoChannels = {
  'network.netstat': {
    request: z.strictObject({ ...target, filter: z.enum(['all', 'listening', 'connected']), pods: z.boolean() }),
    response: z.array(perNode(z.array(socketSchema))),
  },
  'storage.disks': {
    request: z.strictObject(target),
    response: z.array(perNode(z.object({ disks: z.array(diskSchema), volumes: z.array(discoveredVolumeSchema) }))),
  },
  'storage.usage': {
    request: z.strictObject({
      identityId,
      node,
      paths: z.array(filePath).min(1).max(20),
      depth: z.number().int().min(0).max(20),
      all: z.boolean(),
      threshold: z.number().int(),
    }),
    response: z.array(diskUsageEntrySchema),
  },
  'system.cgroups': { request: z.strictObject({ identityId, node }), response: z.array(cgroupSchema) },
  'system.stats': {
    request: z.strictObject({ ...target, k8s: z.boolean() }),
    response: z.array(perNode(z.array(containerStatSchema))),
  },
  'images.list': { request: z.strictObject({ ...target, store: imageStoreSchema }), response: z.array(perNode(z.array(criImageSchema))) },
  'time.check': {
    request: z.strictObject({ ...target, server: z.string().trim().max(300) }),
    response: z.array(perNode(z.object({ server: z.string(), localtime: z.string().nullable(), remotetime: z.string().nullable() }))),
  },
  /** `talosctl etcd snapshot`: saved only once its SHA-256 trailer matched (`dbSha256`). */
  'downloads.etcdSnapshot': {
    request: z.strictObject({ identityId, node, downloadId }),
    response: z.object({ ...downloadResult, dbSha256: z.string() }),
  },
  /** `talosctl pcap`: a nanosecond pcap file Wireshark opens; `filter` is an expression or `tcpdump -dd` output. */
  'downloads.capture': {
    request: z.strictObject({
      identityId,
      node,
      downloadId,
      interface: z.string().trim().min(1).max(64),
      filter: z.string().max(65_536),
      promiscuous: z.boolean(),
      snapLen: z.number().int().min(64).max(262_144),
      durationSeconds: z.number().int().min(1).max(3600),
    }),
    response: z.object({ ...downloadResult, packets: z.number() }),
  },
  /** `talosctl copy <dir> -`: a .tar.gz of a directory (os:admin). */
  'downloads.copy': { request: z.strictObject({ identityId, node, path: filePath, downloadId }), response: z.object(downloadResult) },
  /** `talosctl kubeconfig` (os:admin): an admin credential, so the cluster name is typed and the download audited. */
  'downloads.kubeconfig': {
    request: z.strictObject({ identityId, node, downloadId, clusterName: z.string().max(300) }),
    response: z.object(downloadResult),
    mutating: true,
    readOnlyAllowed: true,
  },
  /** `talosctl support --no-encryption`: one .zip with a manifest, scanned for secrets before it is written. */
  'downloads.support': {
    request: z.strictObject({ ...target, downloadId }),
    response: z.object({ ...downloadResult, manifest: supportManifestSchema }),
  },
} as const;

export const dayTwoEvents = {
  /** Support bundle progress per node: files collected so far and the call running now. */
  'downloads.supportProgress': z.object({
    downloadId: z.string(),
    node: z.string(),
    files: z.number(),
    current: z.string(),
    done: z.boolean(),
  }),
} as const;
