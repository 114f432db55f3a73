import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { NodeRef } from '../../shared/domain/node';
import type { Emit, Handlers } from '../host/dispatch';
import { fanOut } from '../talos/fan-out';
import { EventStreams } from './event-streams';
import { IdentityService, type IdentityServiceOptions } from './identity-service';
import { LabService } from './lab-service';
import { createMutationGate, type MutationRecorder } from './mutations';
import { AuditLog } from './audit/audit-log';
import { exportEntries, matchesFilter } from './audit/audit-export';
import { createAuditRecorder } from './audit/recorder';
import { talosctl } from '../../shared/talosctl';
import { nodeOverview } from './overview';
import { LogStreams } from './log-streams';
import { createInspectHandlers } from './inspect-handlers';
import { containersOf, etcdOf, memoryOf, mountsOf, processesOf } from './node-tables';
import { TalosSessions } from './talos-sessions';

export interface ServiceDeps {
  host: 'desktop' | 'browser';
  version: string;
  dataDir: string;
  emit: Emit;
  keyring?: Pick<IdentityServiceOptions, 'keyringWrapper' | 'keyringNote'>;
  recordMutation?: MutationRecorder;
  /** The desktop host's native file dialog; browser mode has none (it uses the page's file picker). */
  pickFile?: () => Promise<string | null>;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface Services {
  handlers: Handlers;
  audit: AuditLog;
  identities: IdentityService;
  lab: LabService;
  dispose(): Promise<void>;
}

/** The operations the UI calls, identical under both hosts. */
export function createServices(deps: ServiceDeps): Services {
  const identities = new IdentityService({
    vaultPath: path.join(deps.dataDir, 'identities.json'),
    ...deps.keyring,
    env: deps.env,
    home: deps.home,
  });
  const sessions = new TalosSessions(identities);
  const lab = new LabService(identities, deps.dataDir, (status) => {
    sessions.forget();
    deps.emit('lab.changed', status);
  });
  const streams = new EventStreams(sessions, deps.emit);
  const logStreams = new LogStreams(sessions, deps.emit);
  const audit = new AuditLog(path.join(deps.dataDir, 'audit', 'audit.jsonl'), () => identities.vault.deriveSecret('audit-seal'));
  const mutate = createMutationGate(identities, deps.recordMutation ?? createAuditRecorder(audit, identities));
  const afterUnlock = async <T>(p: Promise<T>) => {
    const value = await p;
    await audit.reseal();
    return value;
  };
  const forgetAfter = async <T>(id: string, p: Promise<T>) => {
    const value = await p;
    sessions.forget(id);
    return value;
  };

  const handlers: Handlers = {
    ...createInspectHandlers(sessions, identities, mutate),
    'app.info': async () => ({ name: 'Nodeglass', version: deps.version, host: deps.host, platform: process.platform }),
    'vault.status': () => identities.status(),
    'vault.setup': ({ passphrase }) => afterUnlock(identities.setup(passphrase)),
    'vault.unlock': ({ passphrase }) => afterUnlock(identities.unlock(passphrase)),
    'vault.lock': async () => {
      sessions.forget();
      return identities.lock();
    },
    'identities.list': () => identities.list(),
    'identities.discover': () => identities.discover(),
    'identities.preview': async ({ yaml }) => identities.preview(yaml),
    'identities.import': ({ yaml, contexts }) => identities.importYaml(yaml, contexts),
    'identities.importPath': ({ path: file, contexts }) => identities.importPath(file, contexts),
    'identities.pickFile': async () =>
      deps.pickFile ? { available: true, path: await deps.pickFile() } : { available: false, path: null },
    'identities.rename': ({ id, name }) => identities.rename(id, name),
    'identities.update': ({ id, endpoints, nodes }) => forgetAfter(id, identities.update(id, endpoints, nodes)),
    'identities.export': async ({ id, path: file }) => {
      const request = {
        identityId: id,
        nodes: [],
        method: 'nodeglass/ExportTalosconfig',
        args: { path: file },
        talosctl: `talosctl --talosconfig ${file} config info`,
      };
      const [result] = await mutate(request, async () => [
        { node: 'this computer', ok: true, value: { path: await identities.exportTalosconfig(id, file) } },
      ]);
      return { path: result!.value.path };
    },
    'identities.remove': async ({ id }) => ({ removed: await forgetAfter(id, identities.remove(id)) }),
    'lab.status': async () => lab.status(),
    'lab.start': (options) => lab.start(options),
    'lab.stop': async () => {
      streams.stopAll();
      logStreams.closeAll();
      return lab.stop();
    },
    'nodes.list': async ({ identityId }) => {
      const meta = await identities.meta(identityId);
      const nodes = new Map<string, NodeRef>();
      for (const address of meta.nodes) nodes.set(address, { address, hostname: null, machineType: null, source: 'context' });
      const client = await sessions.client(identityId);
      const first = meta.nodes[0] ?? null;
      try {
        const members = await client.listResources(first ?? '', 'cluster', 'Members.cluster.talos.dev');
        for (const m of members) {
          const spec = m.spec as { addresses?: string[]; hostname?: string; machineType?: string };
          const address = spec.addresses?.[0];
          if (!address) continue;
          const known = nodes.get(address);
          nodes.set(address, {
            address,
            hostname: spec.hostname ?? null,
            machineType: spec.machineType ?? null,
            source: known ? 'both' : 'members',
          });
        }
      } catch {
        // Members is optional: older nodes or a reader without access still get the context's nodes.
      }
      return [...nodes.values()];
    },
    'talos.version': async ({ identityId, nodes }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => client.version(node));
    },
    'talos.overview': async ({ identityId, nodes }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => nodeOverview(client, node));
    },
    'talos.services': async ({ identityId, nodes }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => client.services(node));
    },
    'talos.serviceAction': async ({ identityId, nodes, service, action }) => {
      const client = await sessions.client(identityId);
      const method = `/machine.MachineService/Service${action[0]!.toUpperCase()}${action.slice(1)}`;
      const meta = await identities.meta(identityId);
      const command = talosctl.serviceAction({ context: meta.name, nodes }, service, action);
      return mutate({ identityId, nodes, method, args: { id: service }, talosctl: command }, () =>
        fanOut(nodes, async (node) => ({ message: await client.serviceAction(node, service, action) })),
      );
    },
    'talos.lifecycle': async ({ identityId, nodes, action, image }) => {
      const client = await sessions.client(identityId);
      const meta = await identities.meta(identityId);
      const t = { context: meta.name, nodes };
      if (action === 'upgrade' && !image)
        throw new AppError('INVALID_ARGUMENT', 'An upgrade needs the installer image, like ghcr.io/siderolabs/installer:v1.13.10.');
      const method =
        action === 'reboot'
          ? '/machine.MachineService/Reboot'
          : action === 'shutdown'
            ? '/machine.MachineService/Shutdown'
            : '/machine.MachineService/Upgrade';
      const command =
        action === 'reboot' ? talosctl.reboot(t) : action === 'shutdown' ? talosctl.shutdown(t) : talosctl.upgrade(t, image ?? '');
      return mutate({ identityId, nodes, method, args: image ? { image } : {}, talosctl: command }, () =>
        fanOut(nodes, async (node) => {
          if (action === 'reboot') return { actorId: await client.reboot(node), message: 'Reboot requested' };
          if (action === 'shutdown') return { actorId: await client.shutdown(node), message: 'Shutdown requested' };
          const u = await client.upgrade(node, image ?? '');
          return { actorId: u.actorId, message: u.ack };
        }),
      );
    },
    'configs.apply': async ({ identityId, node, yaml, mode, dryRun }) => {
      const client = await sessions.client(identityId);
      const meta = await identities.meta(identityId);
      const request = {
        identityId,
        nodes: [node],
        method: '/machine.MachineService/ApplyConfiguration',
        args: { data: yaml, mode, dryRun },
        talosctl: talosctl.applyConfig({ context: meta.name, nodes: [node] }, 'config.yaml', mode, dryRun),
      };
      const [result] = await mutate(request, () => fanOut([node], (n) => client.applyConfiguration(n, { data: yaml, mode, dryRun })));
      if (!result || !result.ok) throw new AppError((result?.error.code as never) ?? 'INTERNAL', result?.error.message ?? 'Apply failed.');
      const modes = ['reboot', 'auto', 'no-reboot', 'staged', 'try'];
      return {
        mode: modes[result.value.mode] ?? String(result.value.mode),
        modeDetails: result.value.modeDetails,
        warnings: result.value.warnings,
      };
    },
    'audit.list': async (filter) => (await audit.entries()).filter((e) => matchesFilter(e, filter)).reverse(),
    'audit.verify': () => audit.verify(),
    'audit.export': async ({ filter, format }) => {
      const entries = (await audit.entries()).filter((e) => matchesFilter(e, filter));
      const stamp = new Date().toISOString();
      return {
        filename: `nodeglass-audit-${stamp.replace(/[:.]/g, '-')}.${format}`,
        content: exportEntries(entries, await audit.verify(), format, stamp),
        entries: entries.length,
      };
    },
    'talos.processes': async ({ identityId, nodes }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => processesOf(client, node));
    },
    'talos.memory': async ({ identityId, nodes }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => memoryOf(client, node));
    },
    'talos.mounts': async ({ identityId, nodes }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => mountsOf(client, node));
    },
    'talos.containers': async ({ identityId, nodes, namespace }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => containersOf(client, node, namespace));
    },
    'talos.etcd': async ({ identityId, nodes }) => {
      const client = await sessions.client(identityId);
      return fanOut(nodes, (node) => etcdOf(client, node));
    },
    'stream.open': async ({ identityId, nodes, tail, kind, resource }) => ({
      streamId: await streams.start(identityId, nodes, tail, kind, resource),
    }),
    'logs.sources': async ({ identityId, node }) => {
      const client = await sessions.client(identityId);
      const [services, containers] = await Promise.all([client.logsContainers(node), client.containers(node, 'k8s.io').catch(() => [])]);
      return {
        services: services.sort(),
        containers: containers.filter((c) => c.id.split(':').length === 3).map((c) => ({ id: c.id, name: c.name })),
      };
    },
    'logs.open': async ({ identityId, nodes, sources, tail, follow }) => logStreams.open(identityId, nodes, sources, tail, follow),
    'stream.close': async ({ streamId }) => {
      if (!logStreams.close(streamId)) streams.stop(streamId);
      return {};
    },
  };

  return {
    handlers,
    audit,
    identities,
    lab,
    async dispose() {
      streams.stopAll();
      logStreams.closeAll();
      sessions.forget();
      await lab.stop();
    },
  };
}
