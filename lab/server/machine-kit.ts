import { MachineServiceService } from '../../proto/gen/machine/machine';
import type { LabNode } from '../model/node';
import type { CallContext, Router } from './call-context';
import { serverStream, unary, type ApidHooks, type MethodDef, type StreamFn } from './handler-kit';

type Defs = Record<string, { path: string; responseDeserialize(value: Buffer): unknown }>;

/** Builders for one service's handlers: routing, RBAC, faults and `nodes` aggregation come from handler-kit. */
export function serviceKit(service: Defs, router: Router, hooks: ApidHooks) {
  const def = <Res>(name: string) => {
    const entry = service[name[0]!.toLowerCase() + name.slice(1)];
    if (!entry) throw new Error(`no method ${name}`);
    return entry as MethodDef<Res>;
  };
  return {
    unary: <Req, Res>(name: string, fn: (node: LabNode, req: Req, ctx: CallContext) => Res | Promise<Res>) =>
      unary<Req, Res>(router, def<Res>(name), fn, hooks),
    stream: <Req, Res>(name: string, fn: StreamFn<Req, Res>) => serverStream<Req, Res>(router, def<Res>(name), fn),
  };
}

export const machineKit = (router: Router, hooks: ApidHooks) => serviceKit(MachineServiceService as unknown as Defs, router, hooks);

/** Sends `common.Data` without metadata (machined never sets it; apid adds it for `nodes`). */
export const data = (bytes: Buffer) => ({ metadata: undefined, bytes });
