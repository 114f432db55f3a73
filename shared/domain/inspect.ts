import { z } from 'zod';

export const machineConfigViewSchema = z.object({
  node: z.string(),
  which: z.enum(['v1alpha1', 'persistent']),
  yaml: z.string(),
  redacted: z.boolean(),
  redactedPaths: z.array(z.string()),
  documents: z.number(),
  version: z.string(),
  updated: z.string().nullable(),
});
export type MachineConfigView = z.infer<typeof machineConfigViewSchema>;

export const configDiffSchema = z.object({
  identical: z.boolean(),
  identicalExceptPerNode: z.boolean(),
  summary: z.string(),
  changes: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['added', 'removed', 'changed']),
      left: z.string().nullable(),
      right: z.string().nullable(),
      perNode: z.boolean(),
    }),
  ),
  hiddenPerNode: z.number(),
  truncated: z.boolean(),
});
export type ConfigDiffView = z.infer<typeof configDiffSchema>;

export const resourceKindSchema = z.object({
  type: z.string(),
  namespace: z.string(),
  displayType: z.string(),
  aliases: z.array(z.string()),
  columns: z.array(z.string()),
  sensitive: z.boolean(),
});
export type ResourceKindView = z.infer<typeof resourceKindSchema>;

export const resourceRowSchema = z.object({
  id: z.string(),
  namespace: z.string(),
  version: z.string(),
  phase: z.string(),
  updated: z.string().nullable(),
  columns: z.record(z.string(), z.string()),
});
export type ResourceRow = z.infer<typeof resourceRowSchema>;

export const resourceEventSchema = z.object({
  kind: z.enum(['created', 'updated', 'destroyed', 'bootstrapped']),
  row: resourceRowSchema.nullable(),
});

export const fileEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  mode: z.string(),
  isDir: z.boolean(),
  size: z.number(),
  uid: z.number(),
  gid: z.number(),
  modified: z.string(),
  /** The same time in Unix milliseconds, for relative times ("3m ago"). */
  modifiedAt: z.number(),
  link: z.string(),
  error: z.string(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;
