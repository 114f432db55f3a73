import { z } from 'zod';

/** `SecurityStates.talos.dev/securitystate`: how the node booted. Absent text fields mean "disabled"/"not set". */
export const securityStateSchema = z.object({
  secureBoot: z.boolean(),
  bootedWithUKI: z.boolean(),
  /** SHA-256 of the PCR signing key as `AB:CD:…`, or null. */
  pcrSigningKeyFingerprint: z.string().nullable(),
  /** Never set by Talos at HEAD; kept for older nodes. */
  ukiSigningKeyFingerprint: z.string().nullable(),
  selinux: z.enum(['disabled', 'permissive', 'enforcing', 'unknown']),
  /** The node's own text (`enabled, permissive`), or `disabled` when absent. */
  selinuxState: z.string(),
  fips: z.enum(['disabled', 'enabled', 'strict', 'unknown']),
  fipsState: z.string(),
  moduleSignatureEnforced: z.boolean(),
});
export type SecurityState = z.infer<typeof securityStateSchema>;

/** `ExtensionStatuses.runtime.talos.dev`: a system extension, or the Image Factory `schematic` marker. */
export const extensionSchema = z.object({
  id: z.string(),
  image: z.string(),
  name: z.string(),
  version: z.string(),
  author: z.string(),
  description: z.string(),
  talosCompatibility: z.string(),
  /** The Image Factory marker: `version` is then the schematic ID. */
  isSchematic: z.boolean(),
});
export type Extension = z.infer<typeof extensionSchema>;

/** `KernelParamStatuses.runtime.talos.dev`: id `proc.sys.<sysctl>` or `sys.<sysfs path>`. */
export const kernelParamSchema = z.object({
  id: z.string(),
  kind: z.enum(['sysctl', 'sysfs']),
  /** The sysctl key (`kernel.kptr_restrict`) or sysfs path without the prefix. */
  key: z.string(),
  current: z.string(),
  default: z.string(),
  unsupported: z.boolean(),
});
export type KernelParam = z.infer<typeof kernelParamSchema>;

/** `SBOMItems.talos.dev`: a component of the Talos image or of an extension (`extension: true`). */
export const sbomItemSchema = z.object({
  name: z.string(),
  version: z.string(),
  license: z.string().nullable(),
  cpes: z.array(z.string()),
  purls: z.array(z.string()),
  extension: z.boolean(),
});
export type SbomItem = z.infer<typeof sbomItemSchema>;

/** One record of a container image store (CRI `k8s.io`, `system`, or the in-memory store). */
export const criImageSchema = z.object({
  name: z.string(),
  digest: z.string(),
  sizeBytes: z.number(),
  createdAt: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
});
export type CriImage = z.infer<typeof criImageSchema>;

/** talosctl image --namespace: `cri` (pods), `system` (kubelet/etcd, upgrade), `inmem` (what Talos booted from). */
export const imageStoreSchema = z.enum(['cri', 'system', 'inmem']);
export type ImageStoreName = z.infer<typeof imageStoreSchema>;

export const imagePullProgressSchema = z.object({
  layerId: z.string(),
  status: z.enum(['downloading', 'download-complete', 'extracting', 'extract-complete', 'already-exists']),
  offset: z.number(),
  total: z.number(),
  elapsedMs: z.number(),
});
export type ImagePullProgress = z.infer<typeof imagePullProgressSchema>;
