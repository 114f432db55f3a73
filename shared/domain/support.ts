import { z } from 'zod';

/** One edge of the controller-runtime dependency graph (InspectService). */
export const controllerEdgeSchema = z.object({
  controller: z.string(),
  kind: z.enum(['output-exclusive', 'output-shared', 'input-strong', 'input-weak', 'input-destroy-ready']),
  namespace: z.string(),
  type: z.string(),
  id: z.string().nullable(),
});
export type ControllerEdge = z.infer<typeof controllerEdgeSchema>;
