import path from 'node:path';
import type { Emit, Handlers } from '../host/dispatch';
import { EventStreams } from './event-streams';
import { IdentityService, type IdentityServiceOptions } from './identity-service';
import { LabService } from './lab-service';
import { createMutationGate, type MutationRecorder } from './mutations';
import { AuditLog } from './audit/audit-log';
import { exportEntries, matchesFilter } from './audit/audit-export';
import { createAuditRecorder } from './audit/recorder';
import { LogStreams } from './log-streams';
import { createInspectHandlers } from './inspect-handlers';
import { createConsoleHandlers } from './console-handlers';
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
    ...createConsoleHandlers(sessions, identities, mutate, logStreams),
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
    'stream.open': async ({ identityId, nodes, tail, kind, resource }) => ({
      streamId: await streams.start(identityId, nodes, tail, kind, resource),
    }),
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
