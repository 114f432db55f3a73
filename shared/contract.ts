import { z } from 'zod';
import {
  discoveredConfigSchema,
  identitySummarySchema,
  importPreviewSchema,
  importReportSchema,
  vaultStatusSchema,
} from './domain/identity';
import { labStatusSchema } from './domain/lab';
import { auditEntrySchema, auditFilterSchema, auditVerificationSchema } from './domain/audit';
import { nodeRefSchema } from './domain/node';
import { talosChannels, talosEvents } from './contract-talos';
import { operationChannels, operationEvents } from './contract-operations';

const empty = z.strictObject({});
const identityId = z.string().min(1).max(200);
const passphrase = z.string().min(8, 'Use a passphrase of at least 8 characters.').max(1024);

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['desktop', 'browser']),
  platform: z.string(),
});

/**
 * Every request/response between the renderer and the host. A channel's `mutating` flag marks calls
 * that change something on a node or reveal a secret; those go through the audit choke point.
 */
export const channels = {
  'app.info': { request: empty, response: appInfoSchema },

  'vault.status': { request: empty, response: vaultStatusSchema },
  'vault.setup': {
    request: z.strictObject({ passphrase: passphrase.nullable() }),
    response: vaultStatusSchema,
  },
  'vault.unlock': { request: z.strictObject({ passphrase }), response: vaultStatusSchema },
  'vault.lock': { request: empty, response: vaultStatusSchema },

  'identities.list': { request: empty, response: z.array(identitySummarySchema) },
  'identities.discover': { request: empty, response: z.array(discoveredConfigSchema) },
  'identities.preview': {
    request: z.strictObject({ yaml: z.string().max(1_048_576) }),
    response: importPreviewSchema,
  },
  'identities.import': {
    request: z.strictObject({
      yaml: z.string().max(1_048_576),
      contexts: z.array(z.string().min(1)).nullable(),
    }),
    response: importReportSchema,
  },
  'identities.importPath': {
    request: z.strictObject({ path: z.string().min(1).max(4096), contexts: z.array(z.string().min(1)).nullable() }),
    response: importReportSchema,
  },
  'identities.pickFile': { request: empty, response: z.object({ available: z.boolean(), path: z.string().nullable() }) },
  'identities.rename': {
    request: z.strictObject({ id: identityId, name: z.string().trim().min(1).max(200) }),
    response: identitySummarySchema,
  },
  'identities.update': {
    request: z.strictObject({
      id: identityId,
      endpoints: z.array(z.string().trim().min(1).max(300)).max(64),
      nodes: z.array(z.string().trim().min(1).max(300)).max(1024),
    }),
    response: identitySummarySchema,
  },
  'identities.export': {
    request: z.strictObject({
      id: identityId,
      path: z.string().min(1).max(4096),
      acknowledgePlaintextKey: z.literal(true, { error: 'Confirm that the exported file will hold the private key unencrypted.' }),
    }),
    response: z.object({ path: z.string() }),
    mutating: true,
  },
  'identities.remove': { request: z.strictObject({ id: identityId }), response: z.object({ removed: z.boolean() }) },

  'lab.status': { request: empty, response: labStatusSchema },
  'lab.start': {
    request: z.strictObject({
      nodes: z.number().int().min(1).max(100).optional(),
      controlPlanes: z.number().int().min(1).max(5).optional(),
    }),
    response: labStatusSchema,
  },
  'lab.stop': { request: empty, response: labStatusSchema },

  'nodes.list': { request: z.strictObject({ identityId }), response: z.array(nodeRefSchema) },

  'audit.list': { request: auditFilterSchema, response: z.array(auditEntrySchema) },
  'audit.verify': { request: empty, response: auditVerificationSchema },
  'audit.export': {
    request: z.strictObject({ filter: auditFilterSchema, format: z.enum(['jsonl', 'csv']) }),
    response: z.object({ filename: z.string(), content: z.string(), entries: z.number() }),
  },

  ...talosChannels,
  ...operationChannels,
} as const;

export const events = {
  'lab.changed': labStatusSchema,
  /** The audit trail was verified (on unlock, on the Audit screen, or when an append found it changed). */
  'audit.changed': auditVerificationSchema,
  ...talosEvents,
  ...operationEvents,
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type Request<C extends Channel> = z.input<Channels[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<Channels[C]['request']>;
export type Response<C extends Channel> = z.output<Channels[C]['response']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
