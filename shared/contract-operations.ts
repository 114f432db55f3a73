import { z } from 'zod';
import { controlRequestSchema, operationSchema, planRequestSchema, planSchema, startRequestSchema } from './domain/operation';

/**
 * Operations across nodes: `plan` reads the cluster and returns what would happen (nothing is sent), `start`
 * runs a stored plan once the operator has confirmed it, `control` pauses, resumes or cancels it.
 */
export const operationChannels = {
  'operations.plan': { request: planRequestSchema, response: planSchema },
  'operations.start': { request: startRequestSchema, response: operationSchema, mutating: true },
  'operations.control': { request: controlRequestSchema, response: operationSchema },
  'operations.list': { request: z.strictObject({}), response: z.array(operationSchema) },
} as const;

export const operationEvents = {
  'operations.changed': operationSchema,
} as const;
