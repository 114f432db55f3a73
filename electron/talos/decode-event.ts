import {
  AddressEvent,
  ConfigLoadErrorEvent,
  ConfigValidationErrorEvent,
  MachineStatusEvent,
  MachineStatusEvent_MachineStage,
  PhaseEvent,
  PhaseEvent_Action,
  RestartEvent,
  SequenceEvent,
  SequenceEvent_Action,
  ServiceStateEvent,
  ServiceStateEvent_Action,
  TaskEvent,
  TaskEvent_Action,
  type Event,
} from '../../proto/gen/machine/machine';
import type { TalosEvent } from '../../shared/domain/talos';

const title = (s: string | undefined) => (s ? s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ') : '');

type Decoder = (value: Uint8Array) => { data: Record<string, unknown>; summary: string };

const DECODERS: Record<string, Decoder> = {
  ServiceStateEvent: (v) => {
    const e = ServiceStateEvent.decode(v);
    const state = title(ServiceStateEvent_Action[e.action]);
    return {
      data: { service: e.service, state, message: e.message, healthy: e.health?.healthy ?? false },
      summary: `${e.service}: ${state} — ${e.message}`,
    };
  },
  SequenceEvent: (v) => {
    const e = SequenceEvent.decode(v);
    const action = SequenceEvent_Action[e.action]?.toLowerCase() ?? '';
    return {
      data: { sequence: e.sequence, action, error: e.error?.message ?? '' },
      summary: `sequence ${e.sequence} ${action}${e.error?.message ? `: ${e.error.message}` : ''}`,
    };
  },
  PhaseEvent: (v) => {
    const e = PhaseEvent.decode(v);
    const action = PhaseEvent_Action[e.action]?.toLowerCase() ?? '';
    return { data: { phase: e.phase, action }, summary: `phase ${e.phase} ${action}` };
  },
  TaskEvent: (v) => {
    const e = TaskEvent.decode(v);
    const action = TaskEvent_Action[e.action]?.toLowerCase() ?? '';
    return { data: { task: e.task, action }, summary: `task ${e.task} ${action}` };
  },
  MachineStatusEvent: (v) => {
    const e = MachineStatusEvent.decode(v);
    const stage = MachineStatusEvent_MachineStage[e.stage]?.toLowerCase().replace('_', ' ') ?? 'unknown';
    const unmet = (e.status?.unmetConditions ?? []).map((c) => ({ name: c.name, reason: c.reason }));
    return {
      data: { stage, ready: e.status?.ready ?? false, unmetConditions: unmet },
      summary: `machine ${stage}${e.status?.ready ? ', ready' : ', not ready'}${unmet.length ? ` (${unmet.map((c) => c.name).join(', ')})` : ''}`,
    };
  },
  AddressEvent: (v) => {
    const e = AddressEvent.decode(v);
    return { data: { hostname: e.hostname, addresses: e.addresses }, summary: `addresses of ${e.hostname}: ${e.addresses.join(', ')}` };
  },
  ConfigLoadErrorEvent: (v) => {
    const e = ConfigLoadErrorEvent.decode(v);
    return { data: { error: e.error }, summary: `config load error: ${e.error}` };
  },
  ConfigValidationErrorEvent: (v) => {
    const e = ConfigValidationErrorEvent.decode(v);
    return { data: { error: e.error }, summary: `config validation error: ${e.error}` };
  },
  RestartEvent: (v) => {
    const e = RestartEvent.decode(v);
    const how = RESTART_CMDS[e.cmd] ?? `cmd ${e.cmd}`;
    return { data: { cmd: e.cmd, how }, summary: `restart: ${how}` };
  },
};

/** RestartEvent `cmd`: the Linux reboot(2) command the node ran last (a reboot through kexec skips the firmware). */
const RESTART_CMDS: Record<string, string> = {
  '19088743': 'restart',
  '1163413827': 'kexec',
  '1126301404': 'power off',
  '3454992675': 'halt',
};

/** Decodes the `google.protobuf.Any` payload of a machine event; unknown types are kept, not dropped. */
export function decodeEvent(event: Event): TalosEvent | null {
  const typeUrl = event.data?.typeUrl ?? '';
  if (!typeUrl) return null; // the hello event
  const type = typeUrl.slice(typeUrl.lastIndexOf('.') + 1);
  const decoder = DECODERS[type];
  try {
    const decoded = decoder
      ? decoder(event.data?.value ?? new Uint8Array())
      : { data: {}, summary: `${type} (not decoded by this version of Nodeglass)` };
    return { id: event.id, actorId: event.actorId, type, ...decoded };
  } catch (error) {
    return {
      id: event.id,
      actorId: event.actorId,
      type,
      data: {},
      summary: `${type}: payload could not be decoded (${(error as Error).message})`,
    };
  }
}
