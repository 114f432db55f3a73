import * as grpc from '@grpc/grpc-js';
import { MachineServiceService } from '../../proto/gen/machine/machine';
import type { LabNode } from '../model/node';
import { GrpcError, type CallContext, type Router } from './call-context';
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

/** `<api> is only available on control plane nodes`, as machinehelper.CheckControlplane answers on workers. */
export function requireControlPlane(node: LabNode, api: string): void {
  if (node.id.type !== 'controlplane') throw new GrpcError(grpc.status.UNIMPLEMENTED, `${api} is only available on control plane nodes`);
}

/** Sends `common.Data` without metadata (machined never sets it; apid adds it for `nodes`). */
export const data = (bytes: Buffer) => ({ metadata: undefined, bytes });
