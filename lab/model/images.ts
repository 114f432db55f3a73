import { createHash } from 'node:crypto';
import type { LabNode } from './node';

/** One image record as containerd lists it: every name (tag or digest reference) is its own record. */
export interface ImageRecord {
  name: string;
  digest: string;
  size: number;
  createdAt: number;
  labels: Record<string, string>;
}

/** The layers of an image, as a registry would serve them. */
export interface Layer {
  id: string;
  size: number;
}

/** The two containerd stores the API reaches: CRI's `k8s.io` and `system` (plus the in-memory one Talos boots from). */
export type ImageStore = 'k8s.io' | 'system' | 'inmem';

const stores = new WeakMap<LabNode, Record<ImageStore, ImageRecord[]>>();

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Deterministic digest, size and layers for a reference, so the same image looks the same on every node. */
export function describeImage(ref: string): { digest: string; size: number; layers: Layer[] } {
  const h = sha(ref);
  const count = 2 + (parseInt(h.slice(0, 2), 16) % 4);
  const layers = Array.from({ length: count }, (_v, i) => {
    const id = sha(`${ref}#layer${i}`);
    return { id: `sha256:${id}`, size: 200_000 + (parseInt(id.slice(0, 6), 16) % 30_000_000) };
  });
  return { digest: `sha256:${h}`, size: layers.reduce((n, l) => n + l.size, 0) + 1_500, layers };
}

/** `repo:tag` → `repo:tag` and `repo@sha256:…`, the two names CRI keeps for a pulled image. */
function recordsFor(ref: string, createdAt: number, labels: Record<string, string>): ImageRecord[] {
  const { digest, size } = describeImage(ref);
  const repo = ref.replace(/[:@][^/]*$/, '');
  return [
    { name: ref, digest, size, createdAt, labels },
    { name: `${repo}@${digest}`, digest, size, createdAt, labels },
  ];
}

function initialImages(node: LabNode): Record<ImageStore, ImageRecord[]> {
  const managed = { 'io.cri-containerd.image': 'managed' };
  const created = node.bootTime - 86_400_000 * 12;
  const cri = new Set<string>(['ghcr.io/siderolabs/flannel:v0.27.4', 'ghcr.io/siderolabs/install-cni:v1.13.0']);
  for (const c of node.k8sContainers()) cri.add(c.image);
  const k8s: ImageRecord[] = recordsFor('registry.k8s.io/pause:3.10', created, { ...managed, 'io.cri-containerd.pinned': 'pinned' });
  for (const ref of [...cri].sort()) k8s.push(...recordsFor(ref, created, managed));
  const system: ImageRecord[] = recordsFor('ghcr.io/siderolabs/kubelet:v1.36.3', created, managed);
  if (node.id.type === 'controlplane') system.push(...recordsFor('registry.k8s.io/etcd:v3.6.12', created, managed));
  return { 'k8s.io': k8s, system, inmem: [] };
}

export function imagesOf(node: LabNode, store: ImageStore): ImageRecord[] {
  let all = stores.get(node);
  if (!all) {
    all = initialImages(node);
    stores.set(node, all);
  }
  return all[store];
}

/** Adds a pulled image (both its names) unless it is there already. */
export function addImage(node: LabNode, store: ImageStore, ref: string, createdAt: number): void {
  const list = imagesOf(node, store);
  if (list.some((i) => i.name === ref)) return;
  list.push(...recordsFor(ref, createdAt, { 'io.cri-containerd.image': 'managed' }));
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

/**
 * Parses a reference the way containerd's docker reference parser does and normalizes short names
 * (`nginx` → `docker.io/library/nginx:latest`). Returns null for an invalid reference.
 */
export function normalizeReference(ref: string): string | null {
  let rest = ref.trim();
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at);
    rest = rest.slice(0, at);
    if (!/^@sha256:[a-f0-9]{64}$/.test(digest)) return null;
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return null;
  }
  const parts = rest.split('/');
  const hasHost = parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost');
  if (hasHost && !HOST.test(parts[0]!)) return null;
  const path = hasHost ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every((p) => COMPONENT.test(p))) return null;
  const host = hasHost ? parts[0] : 'docker.io';
  const repo = !hasHost && path.length === 1 ? ['library', ...path] : path;
  return `${host}/${repo.join('/')}${tag ? `:${tag}` : digest ? '' : ':latest'}${digest}`;
}
