import { z } from 'zod';

/** Evidence resources a health check reads (talos-api-wave2.md section 1), as Nodeglass carries them. */

export const unmetConditionSchema = z.object({ name: z.string(), reason: z.string() });

/** MachineStatuses.runtime.talos.dev `machine`: stage and readiness with Talos' unmet conditions (time, network, services, staticPods, nodeReady). */
export const machineStatusEvidenceSchema = z.object({
  stage: z.string(),
  ready: z.boolean(),
  unmetConditions: z.array(unmetConditionSchema),
});
export type MachineStatusEvidence = z.infer<typeof machineStatusEvidenceSchema>;

/** TimeStatuses.v1alpha1.talos.dev `node`. */
export const timeStatusSchema = z.object({ synced: z.boolean(), epoch: z.number(), syncDisabled: z.boolean() });
export type TimeStatusEvidence = z.infer<typeof timeStatusSchema>;

/** StaticPodStatuses.kubernetes.talos.dev (namespace k8s): the kubelet's PodStatus of a static pod, summarized. */
export const staticPodStatusSchema = z.object({
  /** `<namespace>/<pod>`, e.g. `kube-system/kube-apiserver-cp-1`. */
  id: z.string(),
  /** kube-apiserver, kube-controller-manager, kube-scheduler (the pod name without the node suffix) or the pod name. */
  component: z.string(),
  phase: z.string(),
  /** The Ready condition is True. */
  ready: z.boolean(),
  conditions: z.array(z.object({ type: z.string(), status: z.string() })),
  restartCount: z.number(),
  podIP: z.string(),
  startTime: z.string().nullable(),
});
export type StaticPodStatusEvidence = z.infer<typeof staticPodStatusSchema>;

/** Members.cluster.talos.dev (namespace cluster); the id is the Kubernetes nodename. */
export const clusterMemberSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  hostname: z.string(),
  addresses: z.array(z.string()),
  machineType: z.string(),
  /** e.g. `Talos (v1.13.9)`. */
  operatingSystem: z.string(),
  /** The version parsed from operatingSystem, or null. */
  talosVersion: z.string().nullable(),
  controlPlanePort: z.number().nullable(),
});
export type ClusterMember = z.infer<typeof clusterMemberSchema>;

/** NodeStatuses.kubernetes.talos.dev: the Kubernetes Node as this node's kubelet sees it. */
export const nodeStatusSchema = z.object({
  nodename: z.string(),
  nodeReady: z.boolean(),
  unschedulable: z.boolean(),
  labels: z.record(z.string(), z.string()),
});
export type NodeStatusEvidence = z.infer<typeof nodeStatusSchema>;

/** Diagnostics.runtime.talos.dev: problems Talos itself detected (e.g. `address-overlap`, `kubelet-csr`). */
export const diagnosticSchema = z.object({ id: z.string(), message: z.string(), details: z.array(z.string()) });
export type Diagnostic = z.infer<typeof diagnosticSchema>;

/** VolumeStatuses.block.talos.dev: EPHEMERAL, STATE, META, user volumes. */
export const volumeStatusSchema = z.object({
  id: z.string(),
  phase: z.string(),
  type: z.string(),
  location: z.string(),
  sizeBytes: z.number().nullable(),
  prettySize: z.string(),
  /** Talos v1.13+ prints swap as `swapi`; both mean swap. */
  filesystem: z.string(),
  errorMessage: z.string(),
});
export type VolumeStatusEvidence = z.infer<typeof volumeStatusSchema>;

/** MountStatuses.runtime.talos.dev (talosctl alias `mounts`): where each partition volume is mounted. */
export const mountStatusSchema = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  filesystemType: z.string(),
  options: z.array(z.string()),
  encrypted: z.boolean(),
});
export type MountStatusEvidence = z.infer<typeof mountStatusSchema>;
