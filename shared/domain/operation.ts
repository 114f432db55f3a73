import { z } from 'zod';
import { etcdMemberIdSchema } from './etcd-ops';

/**
 * Operations across many nodes: a plan the operator confirms, then a roll the host runs one step at a time with a
 * health gate after each step. A step is one per-node mutating call; new kinds (etcd maintenance, reset, rollback)
 * add a variant here and a step module on the host.
 */

export const installerImageSchema = z
  .string()
  .trim()
  .max(500)
  .regex(/^[\w./-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/, 'Give an installer image reference like ghcr.io/siderolabs/installer:v1.13.10.');

export const operationActionSchema = z.discriminatedUnion('kind', [
  /** `talosctl reboot --mode default|powercycle|force`. */
  z.strictObject({ kind: z.literal('reboot'), mode: z.enum(['default', 'powercycle', 'force']) }),
  /** `talosctl shutdown [--force]`. */
  z.strictObject({ kind: z.literal('shutdown'), force: z.boolean() }),
  /** `talosctl upgrade --image … [--stage] [--force] [--preserve] [--reboot-mode powercycle]`. */
  z.strictObject({
    kind: z.literal('upgrade'),
    image: installerImageSchema,
    stage: z.boolean(),
    force: z.boolean(),
    preserve: z.boolean(),
    rebootMode: z.enum(['default', 'powercycle']),
  }),
  /** `talosctl apply-config -f … --mode …`: the same config to every target, each with its own dry-run diff. */
  z.strictObject({
    kind: z.literal('apply-config'),
    yaml: z
      .string()
      .min(1, 'The config is empty.')
      .max(2 * 1024 * 1024),
    mode: z.enum(['auto', 'no-reboot', 'staged', 'try']),
    tryTimeoutSeconds: z.number().int().min(10).max(3600),
  }),
  /**
   * `talosctl patch mc --patch @patch.yaml --mode …`: each target's own config is read, patched on the host (JSON
   * Patch or strategic merge) and applied whole, with that node's dry-run diff in the plan.
   */
  z.strictObject({
    kind: z.literal('patch-config'),
    patch: z
      .string()
      .min(1, 'The patch is empty.')
      .max(1024 * 1024),
    mode: z.enum(['auto', 'no-reboot', 'staged', 'try']),
    tryTimeoutSeconds: z.number().int().min(10).max(3600),
  }),
  /** `talosctl service <id> start|stop|restart`. */
  z.strictObject({ kind: z.literal('service'), service: z.string().min(1).max(200), action: z.enum(['start', 'stop', 'restart']) }),
  /** `talosctl etcd defrag`: one member at a time (it blocks the member while it runs). */
  z.strictObject({ kind: z.literal('etcd-defrag') }),
  /** `talosctl etcd alarm disarm`: clears every alarm of the cluster (NOSPACE after a defrag). */
  z.strictObject({ kind: z.literal('etcd-alarm-disarm') }),
  /** `talosctl etcd forfeit-leadership`. */
  z.strictObject({ kind: z.literal('etcd-forfeit-leadership') }),
  /** `talosctl etcd leave`: the node's member leaves and its data is emptied. */
  z.strictObject({ kind: z.literal('etcd-leave') }),
  /** `talosctl etcd remove-member <id>`: for a member whose node is gone; the hex id as talosctl prints it. */
  z.strictObject({ kind: z.literal('etcd-remove-member'), memberId: etcdMemberIdSchema }),
  /** `talosctl reset [--graceful] [--reboot] [--wipe-mode] [--system-labels-to-wipe] [--user-disks-to-wipe]`. */
  z.strictObject({
    kind: z.literal('reset'),
    graceful: z.boolean(),
    reboot: z.boolean(),
    mode: z.enum(['all', 'system-disk', 'user-disks']),
    systemLabels: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A volume label like EPHEMERAL or STATE.')).max(16),
    userDisks: z.array(z.string().regex(/^\/dev\/[\w./-]{1,100}$/, 'A device path like /dev/vdb.')).max(32),
  }),
  /** `talosctl rollback`: boots the previous Talos installation. */
  z.strictObject({ kind: z.literal('rollback') }),
  /** `talosctl bootstrap`: starts etcd on one control plane of a fresh cluster. */
  z.strictObject({ kind: z.literal('bootstrap') }),
  /** `talosctl image pull [--namespace system|inmem] <ref>`. */
  z.strictObject({
    kind: z.literal('image-pull'),
    image: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .regex(/^[\w./:@-]+$/, 'Give an image reference like registry.k8s.io/pause:3.10.'),
    store: z.enum(['cri', 'system', 'inmem']),
  }),
]);
export type OperationAction = z.infer<typeof operationActionSchema>;
export type OperationKind = OperationAction['kind'];

export const planRequestSchema = z.strictObject({
  identityId: z.string().min(1).max(200),
  /** The targets, chosen in the plan dialog; order is decided by the planner (control planes first). */
  nodes: z.array(z.string().min(1).max(300)).min(1, 'Choose at least one node.').max(1024),
  action: operationActionSchema,
  /** Workers per batch; control planes always go one at a time. */
  workerBatchSize: z.number().int().min(1).max(100),
  /** How long each health gate may take before the roll stops. */
  gateTimeoutSeconds: z.number().int().min(10).max(3600),
});
export type PlanRequest = z.infer<typeof planRequestSchema>;

export const nodeRoleSchema = z.enum(['controlplane', 'worker', 'unknown']);
export type NodeRole = z.infer<typeof nodeRoleSchema>;

export const gateSpecSchema = z.object({ id: z.string(), label: z.string() });
export type GateSpec = z.infer<typeof gateSpecSchema>;

/** Which upgrade call a step makes on its node, and why (the node's version, or options only the legacy call has). */
export const upgradePlanPathSchema = z.object({ kind: z.enum(['current', 'legacy']), why: z.string() });
export type UpgradePlanPath = z.infer<typeof upgradePlanPathSchema>;

export const planStepSchema = z.object({
  index: z.number(),
  batch: z.number(),
  node: z.string(),
  hostname: z.string(),
  role: nodeRoleSchema,
  talosctl: z.string(),
  /** The call (or calls, in order) this step makes: `/machine.ImageService/Pull → …` for a current-path upgrade. */
  method: z.string(),
  /** upgrade: the path this node takes; null for other kinds. */
  upgradePath: upgradePlanPathSchema.nullable(),
  /** The node stops answering during the step (reboot, shutdown, upgrade). */
  takesDown: z.boolean(),
  gates: z.array(gateSpecSchema),
  /** apply-config and patch-config: the node's own dry-run answer (mode details with the diff). */
  dryRun: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const etcdMemberViewSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  node: z.string().nullable(),
  healthy: z.boolean(),
  learner: z.boolean(),
  leader: z.boolean(),
  detail: z.string(),
});

/** etcd as the quorum guard read it before planning. */
export const etcdViewSchema = z.object({
  members: z.array(etcdMemberViewSchema),
  voters: z.number(),
  healthy: z.number(),
  quorum: z.number(),
  /** How many more voters may be down while quorum holds. */
  tolerance: z.number(),
  hasLeader: z.boolean(),
  alarms: z.array(z.string()),
  error: z.string().nullable(),
});
export type EtcdView = z.infer<typeof etcdViewSchema>;

export const planSchema = z.object({
  id: z.string(),
  identityId: z.string(),
  identityName: z.string(),
  cluster: z.string(),
  kind: z.enum([
    'reboot',
    'shutdown',
    'upgrade',
    'apply-config',
    'patch-config',
    'service',
    'etcd-defrag',
    'etcd-alarm-disarm',
    'etcd-forfeit-leadership',
    'etcd-leave',
    'etcd-remove-member',
    'reset',
    'rollback',
    'bootstrap',
    'image-pull',
  ]),
  title: z.string(),
  summary: z.string(),
  method: z.string(),
  steps: z.array(planStepSchema),
  batches: z.number(),
  workerBatchSize: z.number(),
  gateTimeoutSeconds: z.number(),
  onFailure: z.string(),
  drain: z.string(),
  etcd: etcdViewSchema.nullable(),
  warnings: z.array(z.string()),
  /** Quorum-guard refusals: the roll will not touch these nodes unless the operator types the override. */
  refusals: z.array(z.object({ node: z.string(), reason: z.string() })),
  /** Reasons the plan cannot run at all (role, unreachable node, a failed dry run). */
  blockers: z.array(z.string()),
  /** What the operator must type: the cluster name for destructive plans touching control planes. */
  typeClusterName: z.boolean(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Plan = z.infer<typeof planSchema>;

/** The text to type to override the quorum guard; the override is recorded in the audit trail. */
export const QUORUM_OVERRIDE_PHRASE = 'override quorum guard';

export const startRequestSchema = z.strictObject({
  planId: z.string().min(1).max(100),
  clusterName: z.string().max(300).nullable(),
  quorumOverride: z.string().max(100).nullable(),
});

export const stepStageSchema = z.enum([
  'waiting',
  'preflight',
  'sent',
  'sequence',
  'rebooting',
  'booting',
  'checking',
  'done',
  'failed',
  'untouched',
]);
export type StepStage = z.infer<typeof stepStageSchema>;

export const gateStatusSchema = z.enum(['pending', 'checking', 'passed', 'failed']);
export type GateStatus = z.infer<typeof gateStatusSchema>;

export const stepProgressSchema = z.object({
  node: z.string(),
  hostname: z.string(),
  role: nodeRoleSchema,
  batch: z.number(),
  talosctl: z.string(),
  stage: stepStageSchema,
  /** What Talos last reported: sequence, phase and task from its events, or the step's own state. */
  detail: z.string(),
  /** Everything Talos reported during the step, oldest first: the sequence, phases, tasks and services it went through. */
  reports: z.array(z.string()),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  actorId: z.string().nullable(),
  /** Try mode: when the node goes back to its previous config unless the config is applied again without try. */
  revertsAt: z.string().nullable(),
  gates: z.array(gateSpecSchema.extend({ status: gateStatusSchema, detail: z.string() })),
  failure: z.object({ check: z.string(), message: z.string() }).nullable(),
});
export type StepProgress = z.infer<typeof stepProgressSchema>;

export const operationStateSchema = z.enum(['running', 'paused', 'succeeded', 'failed', 'cancelled']);
export type OperationState = z.infer<typeof operationStateSchema>;

export const operationSchema = z.object({
  id: z.string(),
  planId: z.string(),
  identityId: z.string(),
  identityName: z.string(),
  cluster: z.string(),
  kind: planSchema.shape.kind,
  title: z.string(),
  summary: z.string(),
  state: operationStateSchema,
  /** Pause or cancel asked for; it takes effect once the step in flight has finished. */
  requested: z.enum(['pause', 'cancel']).nullable(),
  quorumOverride: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Why the roll ended other than succeeding: the failed check and what the node said, or who cancelled. */
  reason: z.string().nullable(),
  steps: z.array(stepProgressSchema),
});
export type Operation = z.infer<typeof operationSchema>;

export const controlRequestSchema = z.strictObject({
  operationId: z.string().min(1).max(100),
  action: z.enum(['pause', 'resume', 'cancel']),
});
