import * as grpc from '@grpc/grpc-js';
import { ContainerDriver, ContainerdNamespace, type ContainerdInstance } from '../../proto/gen/common/common';
import {
  ImageServicePullLayerProgress_Status as Status,
  ImageServiceService,
  type ImageServicePullRequest,
  type ImageServicePullResponse,
  type ImageServiceServer,
} from '../../proto/gen/machine/image';
import type { ImageServiceListRequest, ImageServiceListResponse } from '../../proto/gen/machine/machine';
import { toTimestamp } from '../../proto/timestamps';
import { addImage, describeImage, imagesOf, normalizeReference, type ImageStore } from '../model/images';
import { GrpcError, sleep, type Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { serviceKit } from './machine-kit';

/** How long each simulated pull step takes (tests shorten it). */
export const pullTimings = { stepMs: 60 };

/** Driver CRI reaches `k8s.io` or `system`; driver CONTAINERD only the system store Talos booted from. */
export function storeFor(instance: ContainerdInstance | undefined): ImageStore {
  const driver = instance?.driver ?? ContainerDriver.CONTAINERD;
  const ns = instance?.namespace ?? ContainerdNamespace.NS_UNKNOWN;
  if (ns === ContainerdNamespace.NS_UNKNOWN) throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'containerd namespace is not specified');
  if (driver === ContainerDriver.CONTAINERD && ns === ContainerdNamespace.NS_CRI)
    throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'CRI namespace is only available with the CRI driver');
  if (driver === ContainerDriver.CONTAINERD) return 'inmem';
  return ns === ContainerdNamespace.NS_CRI ? 'k8s.io' : 'system';
}

/** machine.ImageService (Talos v1.13+): List (R/O/A) and Pull (O/A) with layer progress. */
export function imageService(router: Router, hooks: ApidHooks): Partial<ImageServiceServer> {
  const kit = serviceKit(ImageServiceService as never, router, hooks);
  return {
    list: kit.stream<ImageServiceListRequest, ImageServiceListResponse>('List', async (node, req, _ctx, send) => {
      for (const image of imagesOf(node, storeFor(req.containerd)))
        send({
          name: image.name,
          digest: image.digest,
          size: String(image.size),
          createdAt: toTimestamp(image.createdAt),
          labels: image.labels,
        });
    }),
    pull: kit.stream<ImageServicePullRequest, ImageServicePullResponse>('Pull', async (node, req, _ctx, send, signal) => {
      const store = storeFor(req.containerd);
      const ref = normalizeReference(req.imageRef);
      if (!ref)
        throw new GrpcError(grpc.status.INVALID_ARGUMENT, `failed to parse image reference "${req.imageRef}": invalid reference format`);
      if (/\.invalid(:\d+)?\//.test(ref) || /:doesnotexist$/.test(ref))
        throw new GrpcError(grpc.status.NOT_FOUND, `failed to resolve reference "${ref}": ${ref}: not found`);
      const { digest, layers } = describeImage(ref);
      const started = node.now();
      const elapsed = () => {
        const ms = node.now() - started;
        return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
      };
      const progress = (layerId: string, status: Status, offset: number, total: number) =>
        send({ pullProgress: { layerId, progress: { status, elapsed: elapsed(), offset: String(offset), total: String(total) } } });
      const present = imagesOf(node, store).some((i) => i.name === ref);
      for (const layer of layers) {
        if (signal.aborted) return;
        const short = layer.id.slice('sha256:'.length, 'sha256:'.length + 12);
        if (present) {
          progress(short, Status.ALREADY_EXISTS, 0, layer.size);
          continue;
        }
        for (const share of [0.25, 0.6, 1]) {
          await sleep(pullTimings.stepMs);
          if (signal.aborted) return;
          progress(short, Status.DOWNLOADING, Math.round(layer.size * share), layer.size);
        }
        progress(short, Status.DOWNLOAD_COMPLETE, layer.size, layer.size);
        progress(short, Status.EXTRACTING, 0, layer.size);
        await sleep(pullTimings.stepMs);
        if (signal.aborted) return;
        progress(short, Status.EXTRACT_COMPLETE, layer.size, layer.size);
      }
      addImage(node, store, ref, node.now());
      send({ name: `${ref.replace(/(:[\w.-]+)?(@sha256:[a-f0-9]+)?$/, '')}@${digest}` });
    }),
  };
}
