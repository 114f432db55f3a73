import { z } from 'zod';

const ref = z.object({ id: z.string(), name: z.string() });

/** An on-call shift: the operator identity minted for it, and the admin identities it keeps locked. */
export const shiftSchema = z.object({
  active: z.boolean(),
  operator: ref,
  startedBy: z.string(),
  startedAt: z.string(),
  endsAt: z.string(),
  /** Admin identities of the shift's cluster, refused by the host until someone gives a reason. */
  locked: z.array(ref),
  /** Those unlocked during the shift, with the reason given (also in the audit trail). */
  unlocked: z.array(ref.extend({ reason: z.string(), at: z.string() })),
});
export type Shift = z.infer<typeof shiftSchema>;
