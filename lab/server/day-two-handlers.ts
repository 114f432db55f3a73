import type { MachineServiceServer } from '../../proto/gen/machine/machine';
import type { Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { etcdMaintenanceHandlers } from './etcd-maintenance';
import { networkHandlers } from './network-handlers';

/** The MachineService methods for evidence and day-two work, one module per area. */
export function dayTwoHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  return {
    ...networkHandlers(router, hooks),
    ...etcdMaintenanceHandlers(router, hooks),
  };
}
