import { z } from 'zod';

export const expiryStateSchema = z.enum(['ok', 'soon', 'imminent', 'expired', 'not-yet-valid']);

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
