import * as grpc from '@grpc/grpc-js';
import { ImageServiceService } from '../../proto/gen/machine/image';
import type { Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { imageService } from './image-service';
import { addStorageAndInspect } from './storage-inspect-services';

/** The services besides MachineService, COSI and time that apid also serves. */
export function addDayTwoServices(server: grpc.Server, router: Router, hooks: ApidHooks): void {
  server.addService(ImageServiceService, imageService(router, hooks) as grpc.UntypedServiceImplementation);
  addStorageAndInspect(server, router, hooks);
}
