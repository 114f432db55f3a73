import { z } from 'zod';
import {
  discoveredConfigSchema,
  identityColourSchema,
  identitySummarySchema,
  mintableRoleSchema,
  importDraftSchema,
  importReportSchema,
  vaultStatusSchema,
} from './domain/identity';
import { labStatusSchema } from './domain/lab';
import { healScenarioRequestSchema, stageScenarioRequestSchema, stagedScenarioSchema } from './domain/lab-scenarios';
import { auditEntrySchema, auditFilterSchema, auditVerificationSchema } from './domain/audit';
import { nodeRefSchema } from './domain/node';
import { shiftSchema } from './domain/shift';
import { talosChannels, talosEvents } from './contract-talos';
import { operationChannels, operationEvents } from './contract-operations';
import { evidenceChannels, evidenceEvents } from './contract-evidence';
import { healthChannels, timelineChannels } from './contract-health';
import { dayTwoChannels, dayTwoEvents } from './contract-day-two';
import { siemChannels, siemEvents } from './contract-siem';

const empty = z.strictObject({});
const identityId = z.string().min(1).max(200);
const passphrase = z.string().min(8, 'Use a passphrase of at least 8 characters.').max(1024);
const label = z.string().trim().max(24, 'Keep the label short (24 characters at most), like "prod".').nullable();
/** A control plane to mint on, or null for the endpoint itself. */
const mintNode = z.string().trim().min(1).max(300).nullable();
/** Seconds; 0 reaches the node on purpose, so the operator sees Talos' own refusal. Ten years is the OS CA's lifetime. */
const ttlSeconds = z
  .number()
  .int()
  .min(0, 'A lifetime cannot be negative.')
  .max(87_600 * 3600, 'Talos CAs live ten years; choose less.');

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['desktop', 'browser']),
  platform: z.string(),
});

/**
 * Every request/response between the renderer and the host. A channel's `mutating` flag marks calls
 * that change something on a node or reveal a secret; those go through the audit choke point, and the
 * host refuses them for an identity opened read-only unless `readOnlyAllowed` says the call changes no node.
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
  /**
   * Imports go through a draft the host holds: the renderer hands over pasted text or a file's bytes (browser
   * mode), or asks the host to open its own file dialog (desktop) or a discovered talosconfig by source. It gets
   * back the contexts and the text with keys masked; no channel takes a path from the renderer.
   */
  'identities.draft': {
    request: z.strictObject({ yaml: z.string().max(1_048_576), source: z.string().trim().min(1).max(200) }),
    response: importDraftSchema,
  },
  'identities.openFile': { request: empty, response: z.object({ available: z.boolean(), draft: importDraftSchema.nullable() }) },
  'identities.openDiscovered': { request: z.strictObject({ source: z.enum(['TALOSCONFIG', 'home']) }), response: importDraftSchema },
  'identities.import': {
    request: z.strictObject({ draftId: z.string().uuid(), contexts: z.array(z.string().min(1)).nullable() }),
    response: importReportSchema,
  },
  'identities.discardDraft': { request: z.strictObject({ draftId: z.string().uuid() }), response: z.object({ discarded: z.boolean() }) },
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
  /**
   * A talosconfig with the key in clear: the desktop saves it through its own dialog; browser mode gets a one-time
   * URL the browser downloads from, so the key never passes through the page.
   */
  'identities.export': {
    request: z.strictObject({
      id: identityId,
      acknowledgePlaintextKey: z.literal(true, { error: 'Confirm that the exported file will hold the private key unencrypted.' }),
    }),
    response: z.object({ filename: z.string(), path: z.string().nullable(), url: z.string().nullable() }),
    mutating: true,
    readOnlyAllowed: true,
  },
  'identities.remove': { request: z.strictObject({ id: identityId }), response: z.object({ removed: z.boolean() }) },
  /** An encrypted bundle (scrypt + AES-256-GCM) another Nodeglass imports; the desktop saves it through a dialog. */
  'identities.exportBundle': {
    request: z.strictObject({
      id: identityId,
      passphrase: z.string().min(12, 'Use a passphrase of at least 12 characters for a bundle that holds a key.').max(1024),
    }),
    response: z.object({ filename: z.string(), path: z.string().nullable(), content: z.string().nullable() }),
    mutating: true,
    readOnlyAllowed: true,
  },
  'identities.importBundle': {
    request: z.strictObject({ content: z.string().min(1).max(1_048_576), passphrase: z.string().min(1).max(1024) }),
    response: importReportSchema,
  },
  'identities.mark': {
    request: z.strictObject({ id: identityId, label, colour: identityColourSchema.nullable() }),
    response: identitySummarySchema,
  },
  'identities.setReadOnly': {
    request: z.strictObject({ id: identityId, readOnly: z.boolean() }),
    response: identitySummarySchema,
    mutating: true,
    readOnlyAllowed: true,
  },
  /** `talosctl config new` through an admin identity (`identityId`); the new key goes straight into the vault. */
  'identities.mint': {
    request: z.strictObject({
      identityId,
      node: mintNode,
      roles: z.array(mintableRoleSchema).min(1, 'Choose at least one role.').max(4),
      ttlSeconds,
      name: z.string().trim().max(200).nullable(),
      label,
      colour: identityColourSchema.nullable(),
      readOnly: z.boolean(),
    }),
    response: z.object({ identity: identitySummarySchema, talosctl: z.string() }),
    mutating: true,
  },
  /** Mints `id`'s roles and lifetime again through `identityId` and swaps them in once the new certificate connects. */
  'identities.renew': {
    request: z.strictObject({ id: identityId, identityId, node: mintNode }),
    response: z.object({ identity: identitySummarySchema, talosctl: z.string() }),
    mutating: true,
  },

  'shift.status': { request: empty, response: shiftSchema.nullable() },
  /** Mints an operator identity for the shift through `identityId` and locks the cluster's admin identities. */
  'shift.start': {
    request: z.strictObject({ identityId, node: mintNode, ttlSeconds: ttlSeconds.min(60, 'A shift lasts at least a minute.') }),
    response: z.object({ shift: shiftSchema, identity: identitySummarySchema }),
    mutating: true,
  },
  /** Opens a locked admin identity during a shift; the reason goes into the audit trail. */
  'shift.unlock': {
    request: z.strictObject({
      identityId,
      reason: z.string().trim().min(5, 'Say in a few words why the admin identity is needed.').max(500),
    }),
    response: shiftSchema,
    mutating: true,
    readOnlyAllowed: true,
  },
  'shift.end': { request: empty, response: z.object({ removed: z.boolean() }), mutating: true },

  'lab.status': { request: empty, response: labStatusSchema },
  'lab.start': {
    request: z.strictObject({
      nodes: z.number().int().min(1).max(100).optional(),
      controlPlanes: z.number().int().min(1).max(5).optional(),
    }),
    response: labStatusSchema,
  },
  'lab.stop': { request: empty, response: labStatusSchema },
  /** Practice scenarios staged on the in-process practice cluster (never a real one), oldest first. */
  'lab.scenarios': { request: empty, response: z.array(stagedScenarioSchema) },
  'lab.stage': { request: stageScenarioRequestSchema, response: stagedScenarioSchema },
  /** Heals every staged scenario; the history they wrote (events, log lines) stays, as on a real node. */
  'lab.clearScenarios': { request: empty, response: z.object({ healed: z.number().int() }) },
  /** Heals one staged scenario (by kind, node and, for crashloop, service). */
  'lab.heal': { request: healScenarioRequestSchema, response: z.object({ healed: z.number().int() }) },

  'nodes.list': { request: z.strictObject({ identityId }), response: z.array(nodeRefSchema) },

  'audit.list': { request: auditFilterSchema, response: z.array(auditEntrySchema) },
  'audit.verify': { request: empty, response: auditVerificationSchema },
  'audit.export': {
    request: z.strictObject({ filter: auditFilterSchema, format: z.enum(['jsonl', 'csv']) }),
    response: z.object({ filename: z.string(), content: z.string(), entries: z.number() }),
  },

  ...talosChannels,
  ...operationChannels,
  ...evidenceChannels,
  ...healthChannels,
  ...timelineChannels,
  ...dayTwoChannels,
  ...siemChannels,
} as const;

export const events = {
  'lab.changed': labStatusSchema,
  /** The practice scenarios staged now (after a stage, a heal, or the practice cluster stopping). */
  'lab.scenariosChanged': z.array(stagedScenarioSchema),
  /** The audit trail was verified (on unlock, on the Audit screen, or when an append found it changed). */
  'audit.changed': auditVerificationSchema,
  ...talosEvents,
  ...operationEvents,
  ...evidenceEvents,
  ...dayTwoEvents,
  ...siemEvents,
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
