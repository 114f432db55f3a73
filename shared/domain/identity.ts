import { z } from 'zod';

export const expiryStateSchema = z.enum(['ok', 'soon', 'imminent', 'expired', 'not-yet-valid']);

/** The roles `talosctl config new --roles` offers; Talos accepts any combination. */
export const MINTABLE_ROLES = ['os:reader', 'os:operator', 'os:etcd:backup', 'os:admin'] as const;
export const mintableRoleSchema = z.enum(MINTABLE_ROLES);

/** Colours an identity can be marked with (e.g. red "prod"); the UI maps each to a theme colour. */
export const IDENTITY_COLOURS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'] as const;
export const identityColourSchema = z.enum(IDENTITY_COLOURS);
export type IdentityColour = z.infer<typeof identityColourSchema>;

/** Who minted an identity through Nodeglass, when, and for how long (the lifetime that renewal repeats). */
export const mintRecordSchema = z.object({
  by: z.string(),
  byFingerprint: z.string(),
  at: z.string(),
  ttlSeconds: z.number(),
  /** Minted for an on-call shift ("Start shift"). */
  shift: z.boolean(),
});
export type MintRecord = z.infer<typeof mintRecordSchema>;

/** What the renderer may know about an identity: metadata only, never key material. */
export const identitySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  cluster: z.string(),
  endpoints: z.array(z.string()),
  nodes: z.array(z.string()),
  subject: z.string(),
  issuer: z.string(),
  roles: z.array(z.string()),
  fingerprint: z.string(),
  keyAlgorithm: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  expiry: expiryStateSchema,
  daysLeft: z.number(),
  practice: z.boolean(),
  warnings: z.array(z.string()),
  /** A short marker such as "prod", shown with its colour in the header, the status bar and every confirmation. */
  label: z.string().nullable(),
  colour: identityColourSchema.nullable(),
  /** Opened read-only: the host refuses every mutating channel for it, whatever its roles. */
  readOnly: z.boolean(),
  /** Locked by an on-call shift: the host refuses it until someone gives a reason to use it. */
  locked: z.boolean(),
  minted: mintRecordSchema.nullable(),
  /** NotAfter minus NotBefore: what a renewal asks for again. */
  lifetimeSeconds: z.number(),
  /** SHA-256 of the CA certificate: identities with the same one belong to the same cluster. */
  caFingerprint: z.string(),
});
export type IdentitySummary = z.infer<typeof identitySummarySchema>;

export const importReportSchema = z.object({
  imported: z.array(z.object({ context: z.string(), name: z.string(), renamed: z.boolean() })),
  warnings: z.array(z.string()),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const importPreviewSchema = z.object({
  current: z.string().nullable(),
  contexts: z.array(
    z.object({
      name: z.string(),
      roles: z.array(z.string()),
      endpoints: z.array(z.string()),
      notAfter: z.string().nullable(),
      problems: z.array(z.string()),
      warnings: z.array(z.string()),
    }),
  ),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

/**
 * A talosconfig held by the host between "choose/paste" and "import": the renderer gets its id, the contexts and
 * the text with every private key masked, never the key itself.
 */
export const importDraftSchema = z.object({
  draftId: z.string(),
  /** Where it came from, for the heading: a file name, "pasted text" or "~/.talos/config". */
  source: z.string(),
  masked: z.string(),
  preview: importPreviewSchema.nullable(),
  /** Why the text is not a talosconfig at all (the preview is then null). */
  problem: z.string().nullable(),
});
export type ImportDraft = z.infer<typeof importDraftSchema>;

export const discoveredConfigSchema = z.object({
  path: z.string(),
  source: z.enum(['TALOSCONFIG', 'home']),
  contexts: z.array(z.string()),
  error: z.string().nullable(),
});
export type DiscoveredConfig = z.infer<typeof discoveredConfigSchema>;

export const vaultStatusSchema = z.object({
  mode: z.enum(['safe-storage', 'passphrase']),
  state: z.enum(['uninitialized', 'locked', 'unlocked']),
  note: z.string().nullable(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;
