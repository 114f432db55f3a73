import { z } from 'zod';
import { errorShapeSchema } from '../result';

export const nodeRefSchema = z.object({
  address: z.string(),
  hostname: z.string().nullable(),
  machineType: z.string().nullable(),
  source: z.enum(['context', 'members', 'both']),
});
export type NodeRef = z.infer<typeof nodeRefSchema>;

/** One node's share of a fanned-out call: a value or that node's own error. */
export function perNode<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ node: z.string(), ok: z.literal(true), value }),
    z.object({ node: z.string(), ok: z.literal(false), error: errorShapeSchema }),
  ]);
}

export type PerNode<T> = { node: string; ok: true; value: T } | { node: string; ok: false; error: z.infer<typeof errorShapeSchema> };
