import * as grpc from '@grpc/grpc-js';
import type { MachineServiceServer } from '../../proto/gen/machine/machine';
import {
  ListRequest_Type,
  MachineServiceService,
  RebootRequest_Mode,
  UpgradeRequest_RebootMode,
  type GenerateClientConfigurationRequest,
  type RebootRequest,
  type UpgradeRequest,
} from '../../proto/gen/machine/machine';
import type { LabNode } from '../model/node';
import { MODE_DIR, MODE_SYMLINK, normalize } from '../model/files';
import { containers, loadAvg, memInfo, mounts, processes, systemStat } from '../model/node-stats';
import { apiActionAllowed } from '../model/service-catalog';
import { GrpcError, type Router } from './call-context';
export { requireControlPlane } from './call-context';
import { chunked, sendFollowed, sendLines, serverStream, unary, waitForAbort, type ApidHooks } from './handler-kit';
import { generateClientConfiguration } from './client-configuration';
import { etcdAlarmList, etcdMemberList, etcdStatus } from './etcd-handlers';
import { applyConfiguration, reboot, runServiceAction, shutdown, upgrade } from './lifecycle';
import { dayTwoHandlers } from './day-two-handlers';
import { serviceListResponse } from './service-list';

function logSource(node: LabNode, namespace: string, id: string) {
  const source = node.logs.get(id);
  const isService = namespace === 'system' || id === 'kubelet';
  if (!source || (isService && id.includes('/')) || (!isService && !id.includes('/')))
    throw new GrpcError(grpc.status.UNKNOWN, `log "${id}" was not registered`);
  return source;
}

/** The lab's MachineService: each method works on one simulated node. */
export function machineService(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  const def = (name: string) => {
    const entry = (MachineServiceService as Record<string, { path: string; responseDeserialize(value: Buffer): unknown }>)[
      name[0]!.toLowerCase() + name.slice(1)
    ];
    if (!entry) throw new Error(`no MachineService method ${name}`);
    return entry;
  };
  const u = <Req, Res>(name: string, fn: (node: LabNode, req: Req, ctx: import('./call-context').CallContext) => Res | Promise<Res>) =>
    unary<Req, Res>(router, def(name) as import('./handler-kit').MethodDef<Res>, fn, hooks);
  const s = <Req, Res>(name: string, fn: import('./handler-kit').StreamFn<Req, Res>) =>
    serverStream<Req, Res>(router, def(name) as import('./handler-kit').MethodDef<Res>, fn);
  const data = (bytes: Buffer) => ({ metadata: undefined, bytes });

  return {
    ...dayTwoHandlers(router, hooks),
    version: u('Version', (node) => ({
      messages: [
        {
          metadata: undefined,
          version: { tag: node.talosVersion, sha: '3ebd10a7', built: '', goVersion: 'go1.26.6', os: 'linux', arch: 'amd64' },
          platform: { name: 'metal', mode: 'metal' },
          features: { rbac: true },
        },
      ],
    })),
    hostname: u('Hostname', (node) => ({ messages: [{ metadata: undefined, hostname: node.id.hostname }] })),
    serviceList: u('ServiceList', serviceListResponse),
    serviceStart: u('ServiceStart', (node, req: { id: string }, ctx) => ({
      messages: [{ metadata: undefined, resp: runServiceAction(node, req.id, 'start', ctx.actorId()) }],
    })),
    serviceStop: u('ServiceStop', (node, req: { id: string }, ctx) => ({
      messages: [{ metadata: undefined, resp: runServiceAction(node, req.id, 'stop', ctx.actorId()) }],
    })),
    serviceRestart: u('ServiceRestart', (node, req: { id: string }, ctx) => ({
      messages: [{ metadata: undefined, resp: runServiceAction(node, req.id, 'restart', ctx.actorId()) }],
    })),
    logsContainers: u('LogsContainers', (node) => ({
      messages: [
        {
          metadata: undefined,
          ids: [...node.logs.keys()]
            .filter((id) => !id.includes('/'))
            .concat('kernel')
            .sort(),
        },
      ],
    })),
    logs: s('Logs', async (node, req, _ctx, send, signal, drained) => {
      const source = req.id === 'kernel' && req.namespace === 'system' ? null : logSource(node, req.namespace, req.id);
      const buffer = source ? source.buffer : node.kernel;
      if (source) node.catchUp(source);
      // Like a node reading its ring buffer: the lines there now go out as the client takes them, then the
      // lines written since, from where the tail ended.
      const tail = buffer.tailLines(req.tailLines);
      const end = buffer.end;
      await sendLines(tail, (b) => send(data(b)), drained, signal);
      if (!req.follow) return;
      await sendFollowed(
        buffer,
        end,
        (b) => send(data(b)),
        drained,
        signal,
        () => source && node.catchUp(source),
      );
    }),
    dmesg: s('Dmesg', async (node, req, _ctx, send, signal) => {
      if (!req.tail) for (const record of node.kernel.tail(-1).split('\n').filter(Boolean)) send(data(Buffer.from(record + '\n')));
      if (!req.follow) return;
      const stop = node.kernel.follow((text) => {
        for (const record of text.split('\n').filter(Boolean)) send(data(Buffer.from(record + '\n')));
      });
      await waitForAbort(signal);
      stop();
    }),
    events: s('Events', async (node, req, _ctx, send, signal) => {
      const set = [req.tailEvents !== 0, req.tailId !== '', req.tailSeconds !== 0].filter(Boolean).length;
      if (set > 1) throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'only one of tail_events, tail_id, tail_seconds may be set');
      const matches = (actorId: string) => !req.withActorId || actorId === req.withActorId;
      const toWire = (e: { id: string; actorId: string; typeUrl: string; value: Uint8Array }) => ({
        metadata: undefined,
        data: { typeUrl: e.typeUrl, value: Buffer.from(e.value) },
        id: e.id,
        actorId: e.actorId,
      });
      send({ metadata: undefined, data: { typeUrl: '', value: Buffer.alloc(0) }, id: '', actorId: '' });
      const log = node.events;
      for (const e of log.history(req)) if (matches(e.actorId)) send(toWire(e));
      const stop = log.subscribe((e) => matches(e.actorId) && send(toWire(e)));
      await waitForAbort(signal);
      stop();
    }),
    read: s('Read', async (node, req, _ctx, send) => {
      const file = node.files.get(req.path);
      if (!file) throw new GrpcError(grpc.status.NOT_FOUND, `open ${req.path}: no such file or directory`);
      if (file.mode & (MODE_DIR | MODE_SYMLINK) || !file.content)
        throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'path must be a regular file');
      chunked(file.content(), (b) => send(data(b)));
    }),
    list: s('List', async (node, req, _ctx, send) => {
      const root = normalize(req.root || '/');
      const start = node.files.get(root);
      if (!start) throw new GrpcError(grpc.status.NOT_FOUND, `lstat ${root}: no such file or directory`);
      const maxDepth = req.recurse ? (req.recursionDepth <= 0 ? Infinity : req.recursionDepth) : 1;
      const wanted = (mode: number) => {
        if (req.types.length === 0) return true;
        const type =
          mode & MODE_DIR ? ListRequest_Type.DIRECTORY : mode & MODE_SYMLINK ? ListRequest_Type.SYMLINK : ListRequest_Type.REGULAR;
        return req.types.includes(type);
      };
      const emit = (file: NonNullable<typeof start>, relative: string) =>
        send({
          metadata: undefined,
          name: file.path,
          size: String(node.files.sizeOf(file)),
          mode: file.mode >>> 0,
          modified: String(Math.floor(file.modified / 1000)),
          isDir: (file.mode & MODE_DIR) !== 0,
          error: '',
          link: file.link ?? '',
          relativeName: relative,
          uid: file.uid,
          gid: file.gid,
          xattrs: req.reportXattrs ? [{ name: 'security.selinux', data: Buffer.from('system_u:object_r:system_t:s0\0') }] : [],
        });
      emit(start, '.');
      const walk = (dir: string, depth: number, prefix: string) => {
        for (const child of node.files.children(dir)) {
          const name = child.path.slice(child.path.lastIndexOf('/') + 1);
          const relative = prefix ? `${prefix}/${name}` : name;
          if (wanted(child.mode)) emit(child, relative);
          if (child.mode & MODE_DIR && depth < maxDepth) walk(child.path, depth + 1, relative);
        }
      };
      if (start.mode & MODE_DIR) walk(root, 1, '');
    }),
    processes: u('Processes', (node) => ({ messages: [{ metadata: undefined, processes: processes(node) }] })),
    memory: u('Memory', (node) => ({ messages: [{ metadata: undefined, meminfo: memInfo(node) }] })),
    loadAvg: u('LoadAvg', (node) => ({ messages: [{ metadata: undefined, ...loadAvg(node) }] })),
    systemStat: u('SystemStat', (node) => ({ messages: [systemStat(node)] })),
    mounts: u('Mounts', (node) => ({ messages: [{ metadata: undefined, stats: mounts(node) }] })),
    containers: u('Containers', (node, req: { namespace: string; driver: number }) => {
      if (!req.namespace) throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'namespace is required');
      if (req.driver === 1 && req.namespace !== 'k8s.io')
        throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'CRI driver requires namespace k8s.io');
      return { messages: [{ metadata: undefined, containers: containers(node, req.namespace) }] };
    }),
    etcdMemberList: u('EtcdMemberList', (node) => ({ messages: [{ metadata: undefined, ...etcdMemberList(node) }] })),
    etcdStatus: u('EtcdStatus', (node) => ({ messages: [{ metadata: undefined, memberStatus: etcdStatus(node) }] })),
    etcdAlarmList: u('EtcdAlarmList', (node) => ({ messages: [{ metadata: undefined, memberAlarms: etcdAlarmList(node) }] })),
    generateClientConfiguration: u('GenerateClientConfiguration', async (node, req: GenerateClientConfigurationRequest) => {
      if (!router.osCa) throw new GrpcError(grpc.status.INTERNAL, 'the OS CA is not available');
      return { messages: [await generateClientConfiguration(node, req, router.osCa)] };
    }),
    applyConfiguration: u('ApplyConfiguration', (node, req, ctx) => ({ messages: [applyConfiguration(node, req, ctx)] })),
    reboot: u('Reboot', (node, req: RebootRequest, ctx) => ({
      messages: [
        {
          metadata: undefined,
          actorId: reboot(
            node,
            ctx.actorId(),
            req.mode === RebootRequest_Mode.FORCE ? 'force' : req.mode === RebootRequest_Mode.POWERCYCLE ? 'powercycle' : 'default',
          ),
        },
      ],
    })),
    shutdown: u('Shutdown', (node, _req, ctx) => ({ messages: [{ metadata: undefined, actorId: shutdown(node, ctx.actorId()) }] })),
    upgrade: u('Upgrade', (node, req: UpgradeRequest, ctx) => ({
      messages: [
        {
          metadata: undefined,
          ack: 'Upgrade request received',
          actorId: upgrade(
            node,
            {
              image: req.image,
              preserve: req.preserve,
              stage: req.stage,
              force: req.force,
              powercycle: req.rebootMode === UpgradeRequest_RebootMode.POWERCYCLE,
            },
            ctx.actorId(),
          ),
        },
      ],
    })),
  };
}

export { apiActionAllowed };
