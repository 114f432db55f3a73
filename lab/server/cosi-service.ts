import * as grpc from '@grpc/grpc-js';
import type { Resource, StateServer, WatchRequest } from '../../proto/gen/cosi/resource/state';
import { EventType, StateService } from '../../proto/gen/cosi/resource/state';
import type { LabNode } from '../model/node';
import { toTimestamp } from '../../proto/timestamps';
import { RESOURCE_TYPES } from '../model/node-resources';
import { isSensitive } from '../model/resource-definitions';
import type { StoredResource } from '../model/resource-store';
import { GrpcError, type CallContext, type Router } from './call-context';
import { serverStream, unary, waitForAbort, type ApidHooks } from './handler-kit';

export function toWireResource(r: StoredResource): Resource {
  return {
    metadata: {
      namespace: r.namespace,
      type: r.type,
      id: r.id,
      version: String(r.version),
      owner: r.owner,
      phase: r.phase,
      created: toTimestamp(r.created),
      updated: toTimestamp(r.updated),
      finalizers: [],
      labels: r.labels,
      annotations: r.annotations,
    },
    spec: { protoSpec: Buffer.from(r.protoSpec), yamlSpec: r.yamlSpec },
  };
}

/** Talos' access policy in front of COSI: known type, known namespace, sensitive types for admins. */
function checkAccess(node: LabNode, namespace: string, type: string, ctx: CallContext): void {
  if (!node.resources.get('meta', RESOURCE_TYPES.rd, type.toLowerCase()))
    throw new GrpcError(grpc.status.PERMISSION_DENIED, `resource type "${type}" is not supported`);
  if (!node.resources.get('meta', RESOURCE_TYPES.ns, namespace))
    throw new GrpcError(grpc.status.PERMISSION_DENIED, `namespace "${namespace}" is not supported`);
  if (isSensitive(type) && !ctx.roles.includes('os:admin')) throw new GrpcError(grpc.status.PERMISSION_DENIED, 'not authorized');
}

export function cosiService(router: Router, hooks: ApidHooks): Partial<StateServer> {
  return {
    get: unary(
      router,
      StateService.get,
      (node, req: { namespace: string; type: string; id: string }, ctx) => {
        checkAccess(node, req.namespace, req.type, ctx);
        const found = node.resources.get(req.namespace, req.type, req.id);
        if (!found) throw new GrpcError(grpc.status.NOT_FOUND, `resource ${req.type}(${req.namespace}/${req.id}@undefined) doesn't exist`);
        return { resource: toWireResource(found) };
      },
      hooks,
    ),
    list: serverStream(router, StateService.list, async (node, req, ctx, send) => {
      checkAccess(node, req.namespace, req.type, ctx);
      const pattern = req.options?.idQuery?.regexp ? new RegExp(req.options.idQuery.regexp) : null;
      for (const r of node.resources.list(req.namespace, req.type))
        if (!pattern || pattern.test(r.id)) send({ resource: toWireResource(r) });
    }),
    watch: serverStream(router, StateService.watch, async (node, req: WatchRequest, ctx, send, signal) => {
      checkAccess(node, req.namespace, req.type, ctx);
      const single = req.id !== undefined;
      if (single && req.options?.bootstrapContents)
        throw new GrpcError(grpc.status.UNIMPLEMENTED, 'bootstrap contents is not supported for single resource watch');
      const event = (eventType: EventType, resource: StoredResource, old: StoredResource | null) => ({
        resource: toWireResource(resource),
        eventType,
        old: old ? toWireResource(old) : undefined,
      });
      send({ event: [] });
      if (single) {
        const current = node.resources.get(req.namespace, req.type, req.id ?? '');
        const tombstone: StoredResource = {
          namespace: req.namespace,
          type: req.type,
          id: req.id ?? '',
          version: 0,
          owner: '',
          phase: 'running',
          created: 0,
          updated: 0,
          labels: {},
          annotations: {},
          yamlSpec: '',
          protoSpec: new Uint8Array(),
        };
        send({ event: [current ? event(EventType.CREATED, current, null) : event(EventType.DESTROYED, tombstone, null)] });
      } else if (req.options?.bootstrapContents) {
        for (const r of node.resources.list(req.namespace, req.type)) send({ event: [event(EventType.CREATED, r, null)] });
        if (req.apiVersion >= 1) send({ event: [{ resource: undefined, eventType: EventType.BOOTSTRAPPED, old: undefined }] });
      }
      const kinds = { created: EventType.CREATED, updated: EventType.UPDATED, destroyed: EventType.DESTROYED } as const;
      const stop = node.resources.watch((e) => {
        if (e.resource.namespace !== req.namespace || e.resource.type !== req.type) return;
        if (single && e.resource.id !== req.id) return;
        send({ event: [event(kinds[e.kind], e.resource, e.old)] });
      });
      await waitForAbort(signal);
      stop();
    }),
  };
}
