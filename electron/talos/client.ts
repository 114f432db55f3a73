import { parse } from 'yaml';
import { StateService, type Resource, type WatchResponse, EventType } from '../../proto/gen/cosi/resource/state';
import { Empty } from '../../proto/gen/google/protobuf/empty';
import { ApplyConfigurationRequest_Mode, MachineServiceService as M } from '../../proto/gen/machine/machine';
import { TimeServiceService } from '../../proto/gen/time/time';
import { AppError } from '../../shared/errors';
import type { FileEntry } from '../../shared/domain/inspect';
import type {
  ServiceAction,
  TalosContainer,
  TalosEtcd,
  TalosEvent,
  TalosMemory,
  TalosMount,
  TalosProcess,
  TalosService,
  TalosVersion,
} from '../../shared/domain/talos';
import { TalosConnection, type CallOptions, type ConnectionMaterial, type MethodDef } from './connection';
import { generateClientConfiguration, type ClientConfigurationRequest, type MintedClientConfiguration } from './calls/client-configuration';
import { evidenceCalls, type EvidenceCalls } from './calls/health-evidence';
import { CgroupCalls } from './calls/cgroups';
import { ComplianceCalls } from './calls/compliance';
import { EtcdOpsCalls } from './calls/etcd-ops';
import { FileCalls } from './calls/files';
import { ImageCalls } from './calls/images';
import { NetworkCalls } from './calls/network';
import { StatsCalls } from './calls/stats';
import { StorageCalls } from './calls/storage';
import { SupportCalls } from './calls/support';
import { decodeEvent } from './decode-event';
import { LineAssembler } from './line-assembler';
import { LineBytes, type LineBytesChunk } from './line-bytes';
import {
  toApplyResult,
  toContainer,
  toEtcdAlarm,
  toEtcdMember,
  toEtcdStatus,
  toFileEntry,
  toMemory,
  toMount,
  toNodeCpu,
  toProcess,
  timestampIso,
  type NodeCpu,
} from './to-domain';

const empty = Empty.fromPartial({});
const iso = timestampIso;

function first<T>(response: { messages: T[] }, method: string): T {
  const message = response.messages[0];
  if (!message) throw new AppError('INTERNAL', `${method} returned no message.`);
  return message;
}

export interface ResourceKind {
  type: string;
  namespace: string;
  displayType: string;
  aliases: string[];
  printColumns: { name: string; jsonPath: string }[];
  sensitive: boolean;
}

export interface ResourceItem {
  namespace: string;
  type: string;
  id: string;
  version: string;
  owner: string;
  phase: string;
  created: string | null;
  updated: string | null;
  annotations: Record<string, string>;
  yaml: string;
  spec: unknown;
}

export function toResourceItem(resource: Resource | undefined): ResourceItem {
  const m = resource?.metadata;
  const yaml = resource?.spec?.yamlSpec ?? '';
  let spec: unknown = null;
  try {
    spec = parse(yaml);
  } catch {
    spec = null;
  }
  return {
    namespace: m?.namespace ?? '',
    type: m?.type ?? '',
    id: m?.id ?? '',
    version: m?.version ?? '',
    owner: m?.owner ?? '',
    phase: m?.phase ?? '',
    created: iso(m?.created),
    updated: iso(m?.updated),
    annotations: m?.annotations ?? {},
    yaml,
    spec,
  };
}

/** The machine config body: Talos >= 1.12 wraps it in a YAML string scalar, older versions send it raw. */
export function machineConfigBody(item: ResourceItem): string {
  if (item.annotations['talos.dev/yaml-spec'] === '1' || typeof item.spec === 'string')
    return typeof item.spec === 'string' ? item.spec : '';
  return item.yaml;
}

/** Nodeglass's typed view of the Talos API; every call targets one node through the `node` key. */
export class TalosClient {
  /** Day-two and evidence calls, grouped by area (files under calls/). */
  readonly compliance = new ComplianceCalls(this);
  readonly images = new ImageCalls(this);
  readonly network = new NetworkCalls(this);
  readonly etcdOps = new EtcdOpsCalls(this);
  readonly files = new FileCalls(this);
  readonly stats = new StatsCalls(this);
  readonly storage = new StorageCalls(this);
  readonly cgroups = new CgroupCalls(this);
  readonly support = new SupportCalls(this);

  constructor(readonly connection: TalosConnection) {}

  static open(material: ConnectionMaterial): TalosClient {
    return new TalosClient(new TalosConnection(material));
  }

  close(): void {
    this.connection.close();
  }

  async version(node: string | null, o?: CallOptions): Promise<TalosVersion> {
    const v = first(await this.connection.unary(M.version, empty, node, o), 'Version');
    return {
      tag: v.version?.tag ?? '',
      sha: v.version?.sha ?? '',
      goVersion: v.version?.goVersion ?? '',
      os: v.version?.os ?? '',
      arch: v.version?.arch ?? '',
      platform: v.platform?.name ?? '',
      platformMode: v.platform?.mode ?? '',
    };
  }

  async hostname(node: string): Promise<string> {
    return first(await this.connection.unary(M.hostname, empty, node), 'Hostname').hostname;
  }

  async services(node: string): Promise<TalosService[]> {
    const list = first(await this.connection.unary(M.serviceList, empty, node), 'ServiceList');
    return list.services.map((s) => {
      const events = (s.events?.events ?? []).map((e) => ({ msg: e.msg, state: e.state, ts: iso(e.ts) }));
      const last = events[events.length - 1];
      return {
        id: s.id,
        state: s.state,
        health: s.health?.unknown ? 'unknown' : s.health?.healthy ? 'ok' : 'fail',
        healthMessage: s.health?.lastMessage ?? '',
        lastChange: last?.ts ?? null,
        lastEvent: last?.msg ?? '<none>',
        events,
      };
    });
  }

  async serviceAction(node: string, id: string, action: ServiceAction): Promise<string> {
    const def = action === 'start' ? M.serviceStart : action === 'stop' ? M.serviceStop : M.serviceRestart;
    const response = await this.connection.unary(def as typeof M.serviceRestart, { id }, node);
    return first(response, `Service${action}`).resp;
  }

  async memory(node: string): Promise<TalosMemory> {
    const meminfo = first(await this.connection.unary(M.memory, empty, node), 'Memory').meminfo;
    if (!meminfo) throw new AppError('INTERNAL', 'Memory returned no meminfo.');
    return toMemory(meminfo);
  }

  async loadAvg(node: string): Promise<{ load1: number; load5: number; load15: number }> {
    const l = first(await this.connection.unary(M.loadAvg, empty, node), 'LoadAvg');
    return { load1: l.load1, load5: l.load5, load15: l.load15 };
  }

  /** Boot time and CPU seconds (SystemStat). */
  async systemStat(node: string): Promise<NodeCpu> {
    return toNodeCpu(first(await this.connection.unary(M.systemStat, empty, node), 'SystemStat'));
  }

  async processes(node: string): Promise<TalosProcess[]> {
    return first(await this.connection.unary(M.processes, empty, node), 'Processes').processes.map(toProcess);
  }

  async mounts(node: string): Promise<TalosMount[]> {
    return first(await this.connection.unary(M.mounts, empty, node), 'Mounts').stats.map(toMount);
  }

  async containers(node: string, namespace: 'system' | 'k8s.io'): Promise<TalosContainer[]> {
    const response = await this.connection.unary(M.containers, { namespace, driver: namespace === 'k8s.io' ? 1 : 0 }, node);
    return first(response, 'Containers').containers.map(toContainer);
  }

  async etcdMembers(node: string): Promise<NonNullable<TalosEtcd['members']>> {
    return first(await this.connection.unary(M.etcdMemberList, { queryLocal: true }, node), 'EtcdMemberList').members.map(toEtcdMember);
  }

  async etcdStatus(node: string): Promise<TalosEtcd['status']> {
    return toEtcdStatus(first(await this.connection.unary(M.etcdStatus, empty, node), 'EtcdStatus').memberStatus);
  }

  async etcdAlarms(node: string): Promise<NonNullable<TalosEtcd['alarms']>> {
    return first(await this.connection.unary(M.etcdAlarmList, empty, node), 'EtcdAlarmList').memberAlarms.map(toEtcdAlarm);
  }

  async timeCheck(node: string, server: string): Promise<{ server: string; localtime: string | null; remotetime: string | null }> {
    const t = first(await this.connection.unary(TimeServiceService.timeCheck, { server }, node), 'TimeCheck');
    return { server: t.server, localtime: iso(t.localtime), remotetime: iso(t.remotetime) };
  }

  async logsContainers(node: string): Promise<string[]> {
    return first(await this.connection.unary(M.logsContainers, empty, node), 'LogsContainers').ids;
  }

  /** A log as lines. `tailLines` -1 = everything (proto3 never sends 0, which would mean none). */
  logs(
    node: string,
    request: { namespace: 'system' | 'k8s.io'; id: string; follow: boolean; tailLines: number },
    onLines: (lines: string[]) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const assembler = new LineAssembler();
    const req = {
      namespace: request.namespace,
      id: request.id,
      driver: request.namespace === 'k8s.io' ? 1 : 0,
      follow: request.follow,
      tailLines: request.tailLines,
    };
    return this.connection
      .stream(
        M.logs,
        req,
        node,
        (data) => {
          const lines = assembler.push(data.bytes);
          if (lines.length) onLines(lines);
        },
        signal,
      )
      .then(() => {
        // Only a stream that ended cleanly has a last line without "\n"; after a drop the rest is a cut-off
        // fragment that a follower would otherwise deliver as a line (and then never find again on resume).
        const rest = assembler.flush();
        if (rest.length) onLines(rest);
      });
  }

  /**
   * A log as whole lines in the bytes that came off the wire, never decoded: what the log viewer's transport
   * passes on. `tailLines` as in `logs`.
   */
  logBytes(
    node: string,
    request: { namespace: 'system' | 'k8s.io'; id: string; follow: boolean; tailLines: number },
    onChunk: (chunk: LineBytesChunk) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const req = {
      namespace: request.namespace,
      id: request.id,
      driver: request.namespace === 'k8s.io' ? 1 : 0,
      follow: request.follow,
      tailLines: request.tailLines,
    };
    return this.lineBytes(M.logs, req, node, onChunk, signal);
  }

  /** The kernel ring as whole lines in bytes, like `logBytes`; `tail` true means only records from now on. */
  dmesgBytes(
    node: string,
    request: { follow: boolean; tail: boolean },
    onChunk: (chunk: LineBytesChunk) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.lineBytes(M.dmesg, request, node, onChunk, signal);
  }

  private lineBytes<Req>(
    def: MethodDef<Req, { bytes: Buffer }>,
    request: Req,
    node: string,
    onChunk: (chunk: LineBytesChunk) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const lines = new LineBytes();
    return this.connection
      .stream(
        def,
        request,
        node,
        (data) => {
          const chunk = lines.push(data.bytes);
          if (chunk) onChunk(chunk);
        },
        signal,
      )
      .then(() => {
        // As in `logs`: only a stream that ended cleanly has a last line without "\n".
        const rest = lines.flush();
        if (rest) onChunk(rest);
      });
  }

  /** The kernel ring as lines (one record each); `tail` true means only records from now on. */
  dmesg(
    node: string,
    request: { follow: boolean; tail: boolean },
    onLines: (lines: string[]) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const assembler = new LineAssembler();
    return this.connection
      .stream(
        M.dmesg,
        request,
        node,
        (data) => {
          const lines = assembler.push(data.bytes);
          if (lines.length) onLines(lines);
        },
        signal,
      )
      .finally(() => {
        const rest = assembler.flush();
        if (rest.length) onLines(rest);
      });
  }

  async list(
    node: string,
    request: { root: string; recurse?: boolean; recursionDepth?: number },
  ): Promise<(FileEntry & { relativeName: string })[]> {
    const out: (FileEntry & { relativeName: string })[] = [];
    await this.connection.stream(
      M.list,
      {
        root: request.root,
        recurse: request.recurse ?? false,
        recursionDepth: request.recursionDepth ?? 0,
        types: [],
        reportXattrs: false,
      },
      node,
      (f) => out.push(toFileEntry(f)),
    );
    return out;
  }

  /** Streams a file's bytes as the node sends them (any size; nothing is buffered here). */
  readStream(node: string, path: string, onChunk: (bytes: Uint8Array) => void, signal?: AbortSignal): Promise<void> {
    return this.connection.stream(M.read, { path }, node, (data) => onChunk(data.bytes), signal);
  }

  /** Reads a file, refusing to buffer more than `maxBytes`. */
  async read(node: string, path: string, maxBytes = 4 * 1024 * 1024): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    const abort = new AbortController();
    try {
      await this.connection.stream(
        M.read,
        { path },
        node,
        (data) => {
          size += data.bytes.length;
          if (size > maxBytes) abort.abort();
          else chunks.push(data.bytes);
        },
        abort.signal,
      );
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
    if (size > maxBytes)
      throw new AppError(
        'TOO_LARGE',
        `${path} on ${node} is larger than ${Math.round(maxBytes / 1024)} KiB; Nodeglass stopped reading it. Download it instead.`,
      );
    return Buffer.concat(chunks);
  }

  async diskUsage(node: string, paths: string[]): Promise<{ name: string; size: number; error: string }[]> {
    const out: { name: string; size: number; error: string }[] = [];
    await this.connection.stream(M.diskUsage, { recursionDepth: 0, all: false, threshold: '0', paths }, node, (d) =>
      out.push({ name: d.name, size: Number(d.size), error: d.error }),
    );
    return out;
  }

  /** Machine events, decoded; the hello event is skipped. */
  events(
    node: string,
    request: { tailEvents?: number; tailId?: string; tailSeconds?: number; withActorId?: string },
    onEvent: (event: TalosEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.connection.stream(
      M.events,
      {
        tailEvents: request.tailEvents ?? 0,
        tailId: request.tailId ?? '',
        tailSeconds: request.tailSeconds ?? 0,
        withActorId: request.withActorId ?? '',
      },
      node,
      (e) => {
        const decoded = decodeEvent(e);
        if (decoded) onEvent(decoded);
      },
      signal,
    );
  }

  async applyConfiguration(
    node: string,
    request: { data: string; mode: 'auto' | 'no-reboot' | 'staged' | 'try'; dryRun: boolean; tryTimeoutSeconds?: number },
  ): Promise<{ mode: string; modeDetails: string; warnings: string[] }> {
    const mode = {
      auto: ApplyConfigurationRequest_Mode.AUTO,
      'no-reboot': ApplyConfigurationRequest_Mode.NO_REBOOT,
      staged: ApplyConfigurationRequest_Mode.STAGED,
      try: ApplyConfigurationRequest_Mode.TRY,
    }[request.mode];
    const response = await this.connection.unary(
      M.applyConfiguration,
      {
        data: Buffer.from(request.data),
        mode,
        dryRun: request.dryRun,
        tryModeTimeout: { seconds: String(request.tryTimeoutSeconds ?? 60), nanos: 0 },
      },
      node,
    );
    return toApplyResult(first(response, 'ApplyConfiguration'));
  }

  async reboot(node: string, mode: 'default' | 'powercycle' = 'default'): Promise<string> {
    return first(await this.connection.unary(M.reboot, { mode: mode === 'powercycle' ? 1 : 0 }, node), 'Reboot').actorId;
  }

  async shutdown(node: string, force = false): Promise<string> {
    return first(await this.connection.unary(M.shutdown, { force }, node), 'Shutdown').actorId;
  }

  async upgrade(node: string, image: string): Promise<{ ack: string; actorId: string }> {
    const u = first(
      await this.connection.unary(M.upgrade, { image, preserve: false, stage: false, force: false, rebootMode: 0 }, node),
      'Upgrade',
    );
    return { ack: u.ack, actorId: u.actorId };
  }

  async resourceDefinitions(node: string): Promise<ResourceKind[]> {
    const items = await this.listResources(node, 'meta', 'ResourceDefinitions.meta.cosi.dev');
    return items.map((item) => {
      const spec = (item.spec ?? {}) as {
        type?: string;
        displayType?: string;
        defaultNamespace?: string;
        allAliases?: string[];
        aliases?: string[];
        printColumns?: { name: string; jsonPath: string }[];
        sensitivity?: string;
      };
      return {
        type: spec.type ?? item.id,
        namespace: spec.defaultNamespace ?? '',
        displayType: spec.displayType ?? '',
        aliases: spec.allAliases ?? spec.aliases ?? [],
        printColumns: spec.printColumns ?? [],
        sensitive: spec.sensitivity === 'sensitive',
      };
    });
  }

  /** Resolves `mc`, `members`, `svc`... the way talosctl does, through ResourceDefinitions. */
  async resolveKind(node: string, name: string): Promise<ResourceKind> {
    const wanted = name.toLowerCase();
    const kinds = await this.resourceDefinitions(node);
    const kind = kinds.find((k) => k.type.toLowerCase() === wanted || k.aliases.includes(wanted));
    if (!kind) throw new AppError('NOT_FOUND', `${node} knows no resource type or alias "${name}".`);
    return kind;
  }

  async getResource(node: string, namespace: string, type: string, id: string): Promise<ResourceItem> {
    const response = await this.connection.unary(StateService.get, { namespace, type, id, options: {} }, node);
    return toResourceItem(response.resource);
  }

  async listResources(node: string, namespace: string, type: string): Promise<ResourceItem[]> {
    const out: ResourceItem[] = [];
    await this.connection.stream(StateService.list, { namespace, type, options: undefined }, node, (r) =>
      out.push(toResourceItem(r.resource)),
    );
    return out;
  }

  /** Watches a kind (with bootstrap) or one resource; skips the empty "ready" message. */
  watchResources(
    node: string,
    request: { namespace: string; type: string; id?: string },
    onEvent: (event: { kind: 'created' | 'updated' | 'destroyed' | 'bootstrapped'; resource: ResourceItem | null }) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const kinds: Partial<Record<EventType, 'created' | 'updated' | 'destroyed' | 'bootstrapped'>> = {
      [EventType.CREATED]: 'created',
      [EventType.UPDATED]: 'updated',
      [EventType.DESTROYED]: 'destroyed',
      [EventType.BOOTSTRAPPED]: 'bootstrapped',
    };
    const req = {
      namespace: request.namespace,
      type: request.type,
      ...(request.id !== undefined ? { id: request.id } : {}),
      options: {
        bootstrapContents: request.id === undefined,
        tailEvents: 0,
        labelQuery: [],
        idQuery: undefined,
        aggregated: false,
        bootstrapBookmark: false,
      },
      apiVersion: 1,
    };
    return this.connection.stream(
      StateService.watch,
      req,
      node,
      (response: WatchResponse) => {
        for (const e of response.event) {
          const kind = kinds[e.eventType];
          if (kind) onEvent({ kind, resource: e.resource ? toResourceItem(e.resource) : null });
        }
      },
      signal,
    );
  }

  private evidenceGroup: EvidenceCalls | null = null;

  /** Health evidence resources (MachineStatus, TimeStatus, StaticPodStatuses, Members…); see calls/health-evidence.ts. */
  get evidence(): EvidenceCalls {
    return (this.evidenceGroup ??= evidenceCalls(this.connection));
  }

  /** Mints a client identity signed by the cluster's OS CA (os:admin, control planes only); see calls/client-configuration.ts. */
  generateClientConfiguration(node: string | null, request: ClientConfigurationRequest): Promise<MintedClientConfiguration> {
    return generateClientConfiguration(this.connection, node, request);
  }
}
