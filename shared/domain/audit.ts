import { z } from 'zod';

export const auditOutcomeSchema = z.object({
  node: z.string(),
  ok: z.boolean(),
  code: z.string().optional(),
  message: z.string().optional(),
  actorId: z.string().optional(),
});

export const auditEntrySchema = z.object({
  seq: z.number(),
  time: z.string(),
  osUser: z.string(),
  identity: z.object({ name: z.string(), fingerprint: z.string(), roles: z.array(z.string()) }),
  nodes: z.array(z.string()),
  method: z.string(),
  args: z.record(z.string(), z.unknown()),
  outcomes: z.array(auditOutcomeSchema),
  talosctl: z.string(),
  prev: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerificationSchema = z.object({
  state: z.enum(['intact', 'broken', 'empty']),
  count: z.number(),
  head: z.string(),
  firstBroken: z.object({ line: z.number(), seq: z.number().nullable(), reason: z.string() }).nullable(),
  seal: z.enum(['valid', 'invalid', 'unavailable', 'missing']),
  repaired: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

export const auditFilterSchema = z.strictObject({
  from: z.string().datetime().nullable(),
  to: z.string().datetime().nullable(),
  node: z.string().max(300).nullable(),
  identity: z.string().max(300).nullable(),
  method: z.string().max(300).nullable(),
  outcome: z.enum(['ok', 'failed', 'partial']).nullable(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
