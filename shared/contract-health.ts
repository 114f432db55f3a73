import { z } from 'zod';
import { clusterHealthSchema } from './domain/health';
import { timelineSchema } from './domain/timeline';

const identityId = z.string().min(1).max(200);
const nodes = z.array(z.string().min(1).max(300)).min(1, 'Select at least one node.').max(1024);

/** Cluster health from the Talos API alone: checks with verdicts and evidence, and findings with their fixes. */
export const healthChannels = {
  'health.cluster': { request: z.strictObject({ identityId, nodes }), response: clusterHealthSchema },
} as const;

/** The incident timeline: everything that happened on the selected nodes, merged by time (newest last). */
export const timelineChannels = {
  'timeline.collect': {
    request: z.strictObject({
      identityId,
      nodes,
      sinceMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60),
    }),
    response: timelineSchema,
  },
} as const;
