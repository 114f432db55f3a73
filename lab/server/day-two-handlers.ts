import type { MachineServiceServer } from '../../proto/gen/machine/machine';
import type { Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { captureHandlers } from './capture-handlers';
import { etcdMaintenanceHandlers } from './etcd-maintenance';
import { fileHandlers } from './file-handlers';
import { networkHandlers } from './network-handlers';
import { resetRollbackHandlers } from './reset-rollback';
import { statsHandlers } from './stats-handlers';

/** The MachineService methods for evidence and day-two work, one module per area. */
export function dayTwoHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  return {
    ...networkHandlers(router, hooks),
    ...etcdMaintenanceHandlers(router, hooks),
    ...fileHandlers(router, hooks),
    ...statsHandlers(router, hooks),
    ...captureHandlers(router, hooks),
    ...resetRollbackHandlers(router, hooks),
  };
}
