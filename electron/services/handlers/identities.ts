import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function identityHandlers({ identities, sessions, streams, mutate, pickFile }: HandlerDeps): HandlersFor<'identities'> {
  const { store, files } = identities;
  /** A changed or removed identity must not keep a channel (or streams) opened with its old endpoints or key. */
  const forgetAfter = async <T>(id: string, p: Promise<T>) => {
    const value = await p;
    streams.closeAll(id);
    sessions.forget(id);
    return value;
  };
  return {
    'identities.list': () => store.list(),
    'identities.discover': () => files.discover(),
    'identities.preview': async ({ yaml }) => files.preview(yaml),
    'identities.import': ({ yaml, contexts }) => files.importYaml(yaml, contexts),
    'identities.importPath': ({ path, contexts }) => files.importPath(path, contexts),
    'identities.pickFile': async () => (pickFile ? { available: true, path: await pickFile() } : { available: false, path: null }),
    'identities.rename': ({ id, name }) => store.rename(id, name),
    'identities.update': ({ id, endpoints, nodes }) => forgetAfter(id, store.update(id, endpoints, nodes)),
    'identities.export': async ({ id, path }) => {
      const request = {
        identityId: id,
        nodes: [],
        method: 'nodeglass/ExportTalosconfig',
        args: { path },
        talosctl: `talosctl --talosconfig ${path} config info`,
      };
      const [result] = await mutate(request, async () => [
        { node: 'this computer', ok: true, value: { path: await files.exportTalosconfig(id, path) } },
      ]);
      return { path: result!.value.path };
    },
    'identities.remove': async ({ id }) => ({ removed: await forgetAfter(id, store.remove(id)) }),
  };
}
