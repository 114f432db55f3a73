import { z } from 'zod';

export const labNodeSchema = z.object({
  ip: z.string(),
  hostname: z.string(),
  type: z.enum(['controlplane', 'worker']),
  /** Its service ids (what a crashloop scenario can crash). */
  services: z.array(z.string()),
});
export type LabNode = z.infer<typeof labNodeSchema>;

export const labStatusSchema = z.object({
  running: z.boolean(),
  endpoint: z.string().nullable(),
  cluster: z.string().nullable(),
  nodes: z.array(labNodeSchema),
  talosconfigPath: z.string().nullable(),
});
export type LabStatus = z.infer<typeof labStatusSchema>;
