import { MachineStatusEvent_MachineStage as Stage } from '../../proto/gen/machine/machine';

/** How `talosctl get machinestatus` spells each stage. */
export const STAGE_NAMES: Record<number, string> = {
  [Stage.UNKNOWN]: 'unknown',
  [Stage.BOOTING]: 'booting',
  [Stage.INSTALLING]: 'installing',
  [Stage.MAINTENANCE]: 'maintenance',
  [Stage.RUNNING]: 'running',
  [Stage.REBOOTING]: 'rebooting',
  [Stage.SHUTTING_DOWN]: 'shutting down',
  [Stage.RESETTING]: 'resetting',
  [Stage.UPGRADING]: 'upgrading',
};
