import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { Minted } from '../../certs/pki';
import type { LabNode } from '../model/node';
import { isAuthorized, supportsOneToMany } from './rbac';

/** What every server call offers: its metadata and the TLS peer. */
export interface SurfaceCall {
  metadata: grpc.Metadata;
  getAuthContext(): { sslPeerCertificate?: import('node:tls').PeerCertificate };
}

export class GrpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

export interface CallContext {
  method: string;
  roles: string[];
  actorId: () => string;
}

export interface Router {
  endpointNode(): LabNode;
  /** The cluster's OS CA (machine.ca), which signs client certificates. */
  osCa?: Minted;
  find(target: string): LabNode | undefined;
  all(): LabNode[];
}

export type Target = { mode: 'one'; node: LabNode; label: string } | { mode: 'many'; targets: string[] };

/** Roles come from the client certificate's Subject O entries, as in Talos. */
export function rolesOf(call: SurfaceCall): string[] {
  const cert = call.getAuthContext().sslPeerCertificate;
  const org = cert?.subject?.O as string | string[] | undefined;
  if (!org) return [];
  return (Array.isArray(org) ? org : [org]).filter(Boolean);
}

export function unreachable(target: string): GrpcError {
  return new GrpcError(
    grpc.status.UNAVAILABLE,
    `connection error: desc = "transport: Error while dialing: dial tcp ${target}:50000: connect: no route to host"`,
  );
}

export function resolveNode(router: Router, target: string): LabNode {
  const node = router.find(target);
  if (!node || !node.reachable) throw unreachable(target);
  return node;
}

/** apid's director: `node` (one value) proxies to one node, legacy `nodes` fans out, none means this node. */
export function routeCall(call: SurfaceCall, method: string, router: Router): Target {
  const md = call.metadata;
  const node = md.get('node').map(String);
  // grpc-js joins repeated header fields with ", "; apid (Go) sees them as separate values.
  const nodes = md
    .get('nodes')
    .flatMap((v) => String(v).split(/,\s*/))
    .filter(Boolean);
  const endpoint = router.endpointNode();
  if (!endpoint.reachable)
    throw new GrpcError(grpc.status.UNAVAILABLE, 'connection error: desc = "transport: error while dialing: connection refused"');
  if (node.length > 1) throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'node metadata must be single-valued');
  if (node.length === 1) {
    const target = node[0] ?? '';
    if (/:\d+$/.test(target) && !target.includes('::')) throw new GrpcError(grpc.status.INTERNAL, `invalid target "${target}"`);
    return { mode: 'one', node: resolveNode(router, target), label: target };
  }
  if (nodes.length > 0) {
    if (!supportsOneToMany(method))
      throw new GrpcError(grpc.status.INVALID_ARGUMENT, `one-2-many proxying is not supported for method ${method}`);
    return { mode: 'many', targets: nodes };
  }
  return { mode: 'one', node: endpoint, label: endpoint.id.ip };
}

export function contextFor(call: SurfaceCall, method: string): CallContext {
  const roles = rolesOf(call);
  if (!isAuthorized(method, roles)) throw new GrpcError(grpc.status.PERMISSION_DENIED, 'not authorized');
  return { method, roles, actorId: () => randomUUID() };
}

export function toServiceError(error: unknown): grpc.ServiceError {
  const e =
    error instanceof GrpcError ? error : new GrpcError(grpc.status.INTERNAL, error instanceof Error ? error.message : String(error));
  return Object.assign(new Error(e.message), { code: e.code, details: e.message, metadata: new grpc.Metadata() }) as grpc.ServiceError;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** machinehelper.CheckControlplane: `Unimplemented "<api> is only available on control plane nodes"`. */
export function requireControlPlane(node: LabNode, api: string): void {
  if (node.id.type !== 'controlplane') throw new GrpcError(grpc.status.UNIMPLEMENTED, `${api} is only available on control plane nodes`);
}
