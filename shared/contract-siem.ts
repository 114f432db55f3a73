import { z } from 'zod';
import { siemConfigSchema, siemStatusSchema } from './domain/siem';

/** Forwarding the audit trail to the organisation's SIEM over syslog (RFC 5424 over TLS). */
export const siemChannels = {
  'siem.status': { request: z.strictObject({}), response: siemStatusSchema },
  'siem.configure': { request: siemConfigSchema, response: siemStatusSchema },
} as const;

export const siemEvents = {
  'siem.changed': siemStatusSchema,
} as const;
