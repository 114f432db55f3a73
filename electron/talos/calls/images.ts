import { ContainerDriver, ContainerdNamespace } from '../../../proto/gen/common/common';
import { ImageServicePullLayerProgress_Status as Status, ImageServiceService as I } from '../../../proto/gen/machine/image';
import { AppError } from '../../../shared/errors';
import type { CriImage, ImagePullProgress, ImageStoreName } from '../../../shared/domain/compliance';
import type { TalosClient } from '../client';
import { timestampIso } from '../to-domain';

/** talosctl's `--namespace`: cri = CRI + k8s.io, system = CRI + system, inmem = the system containerd itself. */
export function containerdInstance(store: ImageStoreName) {
  if (store === 'cri') return { driver: ContainerDriver.CRI, namespace: ContainerdNamespace.NS_CRI };
  if (store === 'system') return { driver: ContainerDriver.CRI, namespace: ContainerdNamespace.NS_SYSTEM };
  return { driver: ContainerDriver.CONTAINERD, namespace: ContainerdNamespace.NS_SYSTEM };
}

const STATUS: Record<Status, ImagePullProgress['status']> = {
  [Status.DOWNLOADING]: 'downloading',
  [Status.DOWNLOAD_COMPLETE]: 'download-complete',
  [Status.EXTRACTING]: 'extracting',
  [Status.EXTRACT_COMPLETE]: 'extract-complete',
  [Status.ALREADY_EXISTS]: 'already-exists',
};

const durationMs = (d: { seconds: string; nanos: number } | undefined) => (d ? Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6) : 0);

/** machine.ImageService (Talos v1.13+): `talosctl image list` and `talosctl image pull`. */
export class ImageCalls {
  constructor(private readonly client: TalosClient) {}

  /** Every record of the store; each name of an image (tag and digest reference) is its own record. */
  async list(node: string, store: ImageStoreName = 'cri'): Promise<CriImage[]> {
    const out: CriImage[] = [];
    await this.client.connection.stream(I.list, { containerd: containerdInstance(store) }, node, (image) =>
      out.push({
        name: image.name,
        digest: image.digest,
        sizeBytes: Number(image.size),
        createdAt: timestampIso(image.createdAt),
        labels: image.labels,
      }),
    );
    return out;
  }

  /** Pulls an image, reporting layer progress; resolves to the pinned name (`repo@sha256:…`). */
  async pull(
    node: string,
    store: ImageStoreName,
    ref: string,
    onProgress?: (progress: ImagePullProgress) => void,
    signal?: AbortSignal,
  ): Promise<string> {
    let name = '';
    await this.client.connection.stream(
      I.pull,
      { containerd: containerdInstance(store), imageRef: ref },
      node,
      (message) => {
        if (message.name !== undefined) name = message.name;
        const p = message.pullProgress;
        if (p?.progress)
          onProgress?.({
            layerId: p.layerId,
            status: STATUS[p.progress.status] ?? 'downloading',
            offset: Number(p.progress.offset),
            total: Number(p.progress.total),
            elapsedMs: durationMs(p.progress.elapsed),
          });
      },
      signal,
    );
    if (!name) throw new AppError('INTERNAL', `${node} ended the pull of ${ref} without naming the image.`);
    return name;
  }
}
