import { z } from 'zod';

const pem = z.string().max(65_536);

/** Where the audit trail is forwarded: syslog (RFC 5424) over TLS (RFC 5425) to the organisation's collector. */
export const siemConfigSchema = z.strictObject({
  enabled: z.boolean(),
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
  /** The CA that signed the collector's certificate (PEM). */
  caPem: pem.min(1, 'Paste the CA certificate (PEM) that signed the collector.'),
  /** Optional client certificate and key for collectors that require mutual TLS. */
  clientCertPem: pem.nullable(),
  /** Write-only: kept sealed in the vault, never sent back to the renderer. null keeps the stored key. */
  clientKeyPem: pem.nullable(),
});
export type SiemConfig = z.infer<typeof siemConfigSchema>;

export const siemStatusSchema = z.object({
  configured: z.boolean(),
  enabled: z.boolean(),
  host: z.string().nullable(),
  port: z.number().nullable(),
  hasClientCert: z.boolean(),
  state: z.enum(['off', 'connecting', 'connected', 'waiting', 'error']),
  /** Entries written to the trail but not yet confirmed sent. */
  backlog: z.number(),
  lastSentSeq: z.number().nullable(),
  lastSentAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type SiemStatus = z.infer<typeof siemStatusSchema>;
