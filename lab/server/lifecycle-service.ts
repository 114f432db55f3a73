import * as grpc from '@grpc/grpc-js';
import { LifecycleServiceService, type LifecycleServiceServer } from '../../proto/gen/machine/lifecycle';
import type { LifecycleServiceUpgradeRequest, LifecycleServiceUpgradeResponse } from '../../proto/gen/machine/machine';
import { imagesOf, normalizeReference } from '../model/images';
import { timings } from '../model/service-runner';
import { GrpcError, sleep, type Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { storeFor } from './image-service';
import { imageTag } from './lifecycle';
import { serviceKit } from './machine-kit';

/**
 * machine.LifecycleService/Upgrade (os:admin), the upgrade path of talosctl >= v1.13: the installer image, already
 * pulled with ImageService/Pull into the given containerd, writes the new version; progress streams as installer
 * messages, then the exit code. No sequence runs and the stage stays `running`: the node runs the new version after
 * the Reboot that talosctl sends next.
 */
export function lifecycleService(router: Router, hooks: ApidHooks): Partial<LifecycleServiceServer> {
  const kit = serviceKit(LifecycleServiceService as never, router, hooks);
  return {
    upgrade: kit.stream<LifecycleServiceUpgradeRequest, LifecycleServiceUpgradeResponse>(
      'Upgrade',
      async (node, req, ctx, send, signal) => {
        const store = storeFor(req.containerd);
        const image = req.source?.imageName ?? '';
        const ref = normalizeReference(image);
        if (!ref) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `failed to parse image reference "${image}": invalid reference format`);
        const tag = imageTag(ref);
        if (!imagesOf(node, store).some((i) => i.name === ref))
          throw new GrpcError(grpc.status.NOT_FOUND, `image "${ref}" not found: pull it first (ImageService/Pull)`);
        if (node.sequence) throw new GrpcError(grpc.status.FAILED_PRECONDITION, `the node is busy with the ${node.sequence} sequence`);
        node.logs.get('machined')?.buffer.append([`[talos] upgrade request: installing ${ref}. actor id: ${ctx.actorId()}`]);
        const lines = [
          `running installer ${ref}`,
          `upgrading from ${node.talosVersion} to ${tag}`,
          'validating the system disk',
          'writing the new boot assets to the inactive boot entry',
          'installing the bootloader',
          `${tag} installed; it runs after the next reboot`,
        ];
        for (const message of lines) {
          if (signal.aborted) return;
          send({ progress: { message } });
          await sleep(timings.stepMs);
        }
        node.pendingVersion = tag;
        send({ progress: { exitCode: 0 } });
      },
    ),
  };
}
