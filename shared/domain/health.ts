import { z } from 'zod';
import { callFailureSchema } from './talos';
import { operationActionSchema } from './operation';

/**
 * Cluster health as the on-call engineer reads it: checks (what `talosctl health` runs and more) with a verdict and
 * the evidence behind it, and findings (what is wrong, since when, what to do). Computed on the privileged side
 * from the Talos API only (no kubeconfig). A verdict is only given on data that arrived: otherwise "unknown".
 */

export const verdictSchema = z.enum(['pass', 'warn', 'fail', 'unknown']);
export type Verdict = z.infer<typeof verdictSchema>;

export const nodeRoleSchema = z.enum(['controlplane', 'worker', 'unknown']);

/** Where a piece of evidence came from, so the UI can jump to it (a service's log, the kernel log, events, a resource). */
export const evidenceSourceSchema = z.object({
  kind: z.enum(['service', 'kernel', 'events', 'resource', 'call']),
  /** Service id for logs, the resource type, or the call name. */
  id: z.string(),
});

export const evidenceRefSchema = z.object({
  node: z.string(),
  /** What this is, e.g. "kubelet log", "ServiceList events", "dmesg", "EtcdAlarmList". */
  label: z.string(),
  /** The line, event or value as the node sent it. */
  text: z.string(),
  /** When it happened (ms since the epoch), when known. */
  at: z.number().nullable(),
  source: evidenceSourceSchema,
});
export type EvidenceRef = z.infer<typeof evidenceRefSchema>;

export const healthCheckSchema = z.object({
  /** Stable id, e.g. `machine-ready`, `etcd-alarms`. */
  id: z.string(),
  title: z.string(),
  /** The node it is about, or null for a cluster-wide check. */
  node: z.string().nullable(),
  verdict: verdictSchema,
  /** One line: why this verdict. For "unknown", what could not be read and why. */
  summary: z.string(),
  /** The values the verdict was computed from. */
  evidence: z.array(z.string()),
  checkedAt: z.number(),
  talosctl: z.string(),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const severitySchema = z.enum(['critical', 'warning', 'info']);
export type FindingSeverity = z.infer<typeof severitySchema>;

export const fixSchema = z.object({
  /** What to do, in words. */
  text: z.string(),
  /** The talosctl lines that do it (or investigate it), in order. */
  talosctl: z.array(z.string()),
  /** An operation Nodeglass can plan for it (through the plan dialog, roles and the audit trail), when one exists. */
  plan: z.object({ label: z.string(), nodes: z.array(z.string()), action: operationActionSchema }).nullable(),
});
export type Fix = z.infer<typeof fixSchema>;

export const findingSchema = z.object({
  /** Stable across refreshes: `<rule>:<node>[:<subject>]`. */
  id: z.string(),
  rule: z.enum([
    'crashloop',
    'etcd-alarm',
    'time-unsynced',
    'not-ready',
    'disk-pressure',
    'memory-pressure',
    'kernel-errors',
    'log-errors',
    'config-drift',
    'node-unreachable',
    'static-pod',
    'etcd-members',
    'version-skew',
    'cert-expiry',
    'diagnostic',
  ]),
  severity: severitySchema,
  node: z.string().nullable(),
  title: z.string(),
  /** When the condition started, as far as the evidence shows (ms), or null. */
  since: z.number().nullable(),
  detail: z.string(),
  evidence: z.array(evidenceRefSchema),
  fix: fixSchema,
});
export type Finding = z.infer<typeof findingSchema>;

export const nodeHealthSchema = z.object({
  node: z.string(),
  hostname: z.string().nullable(),
  role: nodeRoleSchema,
  /** The worst verdict of this node's checks ("unknown" when it did not answer). */
  verdict: verdictSchema,
  answered: z.boolean(),
  failures: z.array(callFailureSchema),
});
export type NodeHealth = z.infer<typeof nodeHealthSchema>;

export const clusterHealthSchema = z.object({
  checkedAt: z.number(),
  verdict: verdictSchema,
  nodes: z.array(nodeHealthSchema),
  checks: z.array(healthCheckSchema),
  findings: z.array(findingSchema),
});
export type ClusterHealth = z.infer<typeof clusterHealthSchema>;

/** The worse of verdicts: fail > unknown > warn > pass (an unread check must not look better than a warning). */
const RANK: Record<Verdict, number> = { pass: 0, warn: 1, unknown: 2, fail: 3 };
export function worstVerdict(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, v) => (RANK[v] > RANK[worst] ? v : worst), 'pass');
}
