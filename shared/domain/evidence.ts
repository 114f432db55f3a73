import { z } from 'zod';
import { auditEntrySchema, auditVerificationSchema } from './audit';
import { extensionSchema, securityStateSchema } from './compliance';
import { timeStatusSchema } from './health-evidence';

/**
 * `evidence.json` of a compliance evidence pack, version 1. The JSON Schema in
 * `shared/evidence/evidence-v1.schema.json` is generated from this (a test keeps it current). A change that
 * removes or renames a field needs a new `schemaVersion`; adding optional fields does not.
 */
export const EVIDENCE_SCHEMA_VERSION = 1;

export const verdictSchema = z.enum(['pass', 'fail', 'unknown']);
export type Verdict = z.infer<typeof verdictSchema>;

/** Something the pack could not collect: which node (null = the cluster), which item, and why. */
export const unavailableSchema = z.object({ node: z.string().nullable(), item: z.string(), reason: z.string() });
export type Unavailable = z.infer<typeof unavailableSchema>;

export const ksppParamSchema = z.object({
  /** The sysctl, e.g. `kernel.kptr_restrict`. */
  sysctl: z.string(),
  expected: z.string(),
  /** null when the node does not report the parameter. */
  actual: z.string().nullable(),
  ok: z.boolean(),
});

export const listenerSchema = z.object({
  proto: z.string(),
  address: z.string(),
  port: z.number(),
  process: z.string().nullable(),
  /** The host namespace is empty. */
  netns: z.string(),
});
export type Listener = z.infer<typeof listenerSchema>;

export const nodeEvidenceSchema = z.object({
  node: z.string(),
  hostname: z.string().nullable(),
  machineType: z.string().nullable(),
  /** False when the node answered nothing at all. */
  reachable: z.boolean(),
  talos: z
    .object({
      tag: z.string(),
      installed: z.string().nullable(),
      platform: z.string(),
      arch: z.string(),
      installImage: z.string().nullable(),
    })
    .nullable(),
  security: securityStateSchema.nullable(),
  extensions: z.array(extensionSchema).nullable(),
  kspp: z.object({ sysctls: z.array(ksppParamSchema), cmdline: z.string().nullable(), cmdlineMissing: z.array(z.string()) }).nullable(),
  /** Listening sockets (Netstat, host namespace); `shellListeners` names any SSH/telnet/shell-like port found. */
  listening: z.object({ sockets: z.array(listenerSchema), shellListeners: z.array(listenerSchema) }).nullable(),
  services: z.array(z.object({ id: z.string(), state: z.string(), health: z.string() })).nullable(),
  time: timeStatusSchema.nullable(),
  /** The machine config, redacted by Nodeglass' redactor, and the SHA-256 of its canonical form (see README). */
  config: z.object({ file: z.string(), sha256: z.string(), redactedFields: z.number() }).nullable(),
  images: z.array(z.object({ name: z.string(), digest: z.string() })).nullable(),
  sbom: z.object({ file: z.string(), components: z.number() }).nullable(),
});
export type NodeEvidence = z.infer<typeof nodeEvidenceSchema>;

export const evidenceIdentitySchema = z.object({
  name: z.string(),
  subject: z.string(),
  roles: z.array(z.string()),
  keyAlgorithm: z.string(),
  fingerprint: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  daysLeft: z.number(),
  practice: z.boolean(),
});

export const driftSchema = z.object({
  role: z.string(),
  nodes: z.array(z.string()),
  /** Structural differences of the redacted configs, per-node fields (hostname, addresses…) aside. */
  changes: z.array(
    z.object({ node: z.string(), path: z.string(), kind: z.string(), reference: z.string().nullable(), value: z.string().nullable() }),
  ),
  inSync: z.boolean().nullable(),
});
export type Drift = z.infer<typeof driftSchema>;

export const evidenceItemSchema = z.object({ id: z.string(), title: z.string(), verdict: verdictSchema, detail: z.string() });
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

export const controlResultSchema = z.object({
  id: z.string(),
  framework: z.string(),
  title: z.string(),
  iso27001: z.array(z.string()),
  verdict: verdictSchema,
  evidence: z.array(z.string()),
});
export type ControlResult = z.infer<typeof controlResultSchema>;

export const evidenceSchema = z.object({
  schema: z.literal('nodeglass-evidence'),
  schemaVersion: z.literal(EVIDENCE_SCHEMA_VERSION),
  generator: z.object({ name: z.literal('Nodeglass'), version: z.string() }),
  cluster: z.string(),
  collectedAt: z.string(),
  period: z.object({ from: z.string().nullable(), to: z.string() }),
  collector: z.object({
    identity: z.string(),
    subject: z.string(),
    roles: z.array(z.string()),
    fingerprint: z.string(),
    osUser: z.string(),
  }),
  signingKeyFingerprint: z.string(),
  nodes: z.array(nodeEvidenceSchema),
  drift: z.array(driftSchema),
  access: z.object({
    identities: z.array(evidenceIdentitySchema),
    clusterCa: z.object({ subject: z.string(), notAfter: z.string(), daysLeft: z.number() }).nullable(),
    rbac: z.object({ state: z.enum(['enabled', 'disabled', 'unknown']), basis: z.string() }),
    /** Honest limit of the API: certificates issued elsewhere from the same CA cannot be listed. */
    limitation: z.string(),
  }),
  changeHistory: z.object({ entries: z.array(auditEntrySchema), verification: auditVerificationSchema }),
  items: z.array(evidenceItemSchema),
  controls: z.array(controlResultSchema),
  unavailable: z.array(unavailableSchema),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** What changed between two packs, grouped by area ("what changed since the last audit"). */
export const packChangeSchema = z.object({
  area: z.enum(['version', 'security', 'extensions', 'config', 'drift', 'identities', 'listening', 'kspp', 'nodes']),
  node: z.string().nullable(),
  what: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type PackChange = z.infer<typeof packChangeSchema>;

export const packComparisonSchema = z.object({
  before: z.object({ cluster: z.string(), collectedAt: z.string() }),
  after: z.object({ cluster: z.string(), collectedAt: z.string() }),
  changes: z.array(packChangeSchema),
});
export type PackComparison = z.infer<typeof packComparisonSchema>;

/** A pack kept in this console's data folder. */
export const storedPackSchema = z.object({
  folder: z.string(),
  cluster: z.string(),
  collectedAt: z.string(),
  collector: z.string(),
  nodes: z.number(),
  controls: z.object({ pass: z.number(), fail: z.number(), unknown: z.number() }),
  unavailable: z.number(),
  zipBytes: z.number(),
  /** The folder and zip on disk (the privileged side's paths; shown, never opened by the renderer). */
  path: z.string(),
  zipPath: z.string(),
});
export type StoredPack = z.infer<typeof storedPackSchema>;

export const evidenceStatusSchema = z.object({
  /** SHA-256 of the vault's pack-signing public key; null until the first pack (or while there is no vault). */
  signingKeyFingerprint: z.string().nullable(),
  /** How report.pdf is printed on this host. */
  pdfPrinter: z.string().nullable(),
  packs: z.array(storedPackSchema),
});
export type EvidenceStatus = z.infer<typeof evidenceStatusSchema>;

export const evidenceProgressSchema = z.object({ runId: z.string(), done: z.number(), total: z.number(), step: z.string() });
export type EvidenceProgress = z.infer<typeof evidenceProgressSchema>;

export const bundleVerificationSchema = z.object({
  ok: z.boolean(),
  fingerprint: z.string().nullable(),
  signature: z.enum(['valid', 'invalid', 'missing']),
  checked: z.number(),
  problems: z.array(z.string()),
});
