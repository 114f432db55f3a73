import { z } from 'zod';

export const auditOutcomeSchema = z.object({
  node: z.string(),
  ok: z.boolean(),
  code: z.string().optional(),
  message: z.string().optional(),
  actorId: z.string().optional(),
});

/** Where a break was found: the file (segment), the line in it, the entry's sequence number when readable. */
export const auditProblemSchema = z.object({
  segment: z.number(),
  file: z.string(),
  line: z.number(),
  seq: z.number().nullable(),
  reason: z.string(),
});
export type AuditProblem = z.infer<typeof auditProblemSchema>;

/** What the first entry of a new segment records about the segment it replaces. */
export const auditBreakSchema = z.object({
  segment: z.number(),
  file: z.string(),
  /** Readable entries found in the broken segment, the last one's sequence number and hash. */
  entries: z.number(),
  lastSeq: z.number(),
  head: z.string(),
  /** What the seal said the segment held (null when there was no authentic seal). */
  sealed: z.object({ count: z.number(), head: z.string() }).nullable(),
  /** SHA-256 of the broken segment's bytes as found; this entry's `prev` is this digest, so the two stay linked. */
  digest: z.string(),
  firstProblem: auditProblemSchema.nullable(),
});
export type AuditBreak = z.infer<typeof auditBreakSchema>;

/**
 * One line of the trail. A mutation writes an `intent` before any node is called and an `outcome` after
 * (several `outcome`s with a `step` for a multi-step operation), all sharing one `operation` id. A `break`
 * opens a new segment after the previous one failed verification. Entries written before intents existed
 * have no `kind`: each is a complete record with its outcomes.
 */
export const auditEntrySchema = z.object({
  seq: z.number(),
  time: z.string(),
  kind: z.enum(['intent', 'outcome', 'break']).optional(),
  operation: z.string().optional(),
  step: z.string().optional(),
  osUser: z.string(),
  identity: z.object({ name: z.string(), fingerprint: z.string(), roles: z.array(z.string()) }),
  nodes: z.array(z.string()),
  method: z.string(),
  args: z.record(z.string(), z.unknown()),
  outcomes: z.array(auditOutcomeSchema),
  talosctl: z.string(),
  break: auditBreakSchema.optional(),
  prev: z.string(),
  hash: z.string(),
  /** HMAC of `hash` under the seal key: a re-chained forgery fails here, at the first forged entry. */
  mac: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditSegmentSchema = z.object({
  segment: z.number(),
  file: z.string(),
  entries: z.number(),
  state: z.enum(['intact', 'broken', 'missing']),
});

export const auditVerificationSchema = z.object({
  /** `broken` while any segment of the trail failed verification, including breaks recorded earlier. */
  state: z.enum(['intact', 'broken', 'empty']),
  count: z.number(),
  head: z.string(),
  /** The first bad place in the trail; `problems` lists every one found (up to a cap). */
  firstBroken: auditProblemSchema.nullable(),
  problems: z.array(auditProblemSchema),
  problemsOmitted: z.number(),
  seal: z.enum(['valid', 'invalid', 'unavailable', 'missing']),
  segments: z.array(auditSegmentSchema),
  /** Breaks recorded in the trail itself (the first entry of each later segment), oldest first. */
  breaks: z.array(z.object({ detectedAt: z.string(), segment: z.number(), reason: z.string() })),
  repaired: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

export const auditFilterSchema = z.strictObject({
  from: z.string().datetime().nullable(),
  to: z.string().datetime().nullable(),
  node: z.string().max(300).nullable(),
  identity: z.string().max(300).nullable(),
  method: z.string().max(300).nullable(),
  outcome: z.enum(['ok', 'failed', 'partial', 'started']).nullable(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
