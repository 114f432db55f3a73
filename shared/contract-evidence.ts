import { z } from 'zod';
import {
  bundleVerificationSchema,
  evidenceProgressSchema,
  evidenceStatusSchema,
  packComparisonSchema,
  storedPackSchema,
} from './domain/evidence';

const folder = z
  .string()
  .regex(/^nodeglass-evidence-[A-Za-z0-9._-]+$/, 'Not an evidence pack name.')
  .max(300);

/**
 * Compliance evidence packs: generate one for a cluster (signed, verifiable without Nodeglass), list and
 * verify the packs kept in the data folder, save a pack's zip, compare two packs.
 */
export const evidenceChannels = {
  'evidence.status': { request: z.strictObject({}), response: evidenceStatusSchema },
  'evidence.generate': {
    request: z.strictObject({
      identityId: z.string().min(1).max(200),
      nodes: z.array(z.string().min(1).max(300)).min(1).max(1024),
      /** Start of the change-history period (ISO time); null = the whole trail. */
      from: z.string().datetime().nullable(),
      runId: z.string().min(1).max(100),
    }),
    response: storedPackSchema,
    /** Changes no node, but the trail records who produced which evidence and its SHA-256. */
    mutating: true,
    readOnlyAllowed: true,
  },
  'evidence.verify': { request: z.strictObject({ folder }), response: bundleVerificationSchema },
  /** Desktop: a save dialog for the zip. Browser mode: the zip's bytes (base64) for the page to download. */
  'evidence.save': {
    request: z.strictObject({ folder }),
    response: z.object({ filename: z.string(), savedTo: z.string().nullable(), base64: z.string().nullable() }),
  },
  'evidence.compare': {
    request: z.strictObject({ before: folder, after: folder }),
    response: packComparisonSchema.extend({ markdown: z.string() }),
  },
} as const;

export const evidenceEvents = {
  'evidence.progress': evidenceProgressSchema,
} as const;
