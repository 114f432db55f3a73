import { AppError } from '../../../shared/errors';
import { goDuration, talosctl } from '../../../shared/talosctl';
import { writeFileAtomic } from '../../../certs/atomic-file';
import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

const GENERATE = '/machine.MachineService/GenerateClientConfiguration';
const LOCAL = 'this computer';

export function identityHandlers({
  identities,
  sessions,
  streams,
  mutate,
  pickFile,
  saveFile,
  minting,
}: HandlerDeps): HandlersFor<'identities'> {
  const { store, files, bundles } = identities;
  /** A changed or removed identity must not keep a channel (or streams) opened with its old endpoints or key. */
  const forgetAfter = async <T>(id: string, p: Promise<T>) => {
    const value = await p;
    streams.closeAll(id);
    sessions.forget(id);
    return value;
  };
  const target = async (identityId: string, node: string | null) => ({
    context: (await store.meta(identityId)).name,
    nodes: node ? [node] : [],
  });
  /** Where a mint goes: the chosen control plane, else the endpoint that answers without forwarding. */
  const where = async (identityId: string, node: string | null) => node ?? (await store.meta(identityId)).endpoints[0] ?? 'endpoint';
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
        { node: LOCAL, ok: true, value: { path: await files.exportTalosconfig(id, path) } },
      ]);
      return { path: result!.value.path };
    },
    'identities.exportBundle': async ({ id, passphrase }) => {
      const name = (await store.meta(id)).name;
      const request = {
        identityId: id,
        nodes: [],
        method: 'nodeglass/ExportBundle',
        args: { format: 'scrypt + AES-256-GCM bundle' },
        talosctl: '',
      };
      const [result] = await mutate(request, async () => {
        const bundle = await bundles.export(id, passphrase);
        const target = saveFile ? await saveFile(bundle.filename) : null;
        if (saveFile && !target) throw new AppError('CANCELLED', 'The export was cancelled; nothing was written.');
        if (target) await writeFileAtomic(target, bundle.content, 0o600);
        const where = target ?? 'a download in the browser';
        return [
          {
            node: LOCAL,
            ok: true,
            value: {
              filename: bundle.filename,
              path: target,
              content: target ? null : bundle.content,
              auditNote: `encrypted bundle of "${name}" to ${where}`,
            },
          },
        ];
      });
      const { filename, path, content } = result!.value;
      return { filename, path, content };
    },
    'identities.importBundle': ({ content, passphrase }) => bundles.import(content, passphrase),
    'identities.remove': async ({ id }) => ({ removed: await forgetAfter(id, store.remove(id)) }),
    'identities.mark': ({ id, label, colour }) => store.mark(id, { label: label || null, colour }),
    'identities.setReadOnly': async ({ id, readOnly }) => {
      const request = { identityId: id, nodes: [], method: 'nodeglass/SetReadOnly', args: { readOnly }, talosctl: '' };
      const [result] = await mutate(request, async () => [{ node: LOCAL, ok: true, value: await store.mark(id, { readOnly }) }]);
      return result!.value;
    },
    'identities.mint': async ({ identityId, node, roles, ttlSeconds, name, label, colour, readOnly }) => {
      await store.requireWritable();
      const command = talosctl.configNew(await target(identityId, node), `${name || 'talosconfig'}.yaml`, roles, ttlSeconds);
      const at = await where(identityId, node);
      const request = {
        identityId,
        nodes: [at],
        method: GENERATE,
        args: { purpose: 'mint', roles, ttl: goDuration(ttlSeconds), ttlSeconds },
        talosctl: command,
      };
      const [result] = await mutate(request, async () => {
        const minted = await minting.mint({ viaId: identityId, node, roles, ttlSeconds, name, label, colour, readOnly, shift: false });
        return [{ node: at, ok: true, value: { ...minted, auditNote: minted.note } }];
      });
      return { identity: result!.value.summary, talosctl: command };
    },
    'identities.renew': async ({ id, identityId, node }) => {
      await store.requireWritable();
      const old = await store.summaryOf(id);
      const lifetime = old.minted?.ttlSeconds ?? old.lifetimeSeconds;
      const command = talosctl.configNew(await target(identityId, node), `${old.name}.yaml`, old.roles, lifetime);
      const at = await where(identityId, node);
      const request = {
        identityId,
        nodes: [at],
        method: GENERATE,
        args: { purpose: 'renew', renews: old.name, replacesFingerprint: old.fingerprint, roles: old.roles, ttl: goDuration(lifetime) },
        talosctl: command,
      };
      const [result] = await mutate(request, async () => {
        const renewed = await minting.renew(id, identityId, node);
        return [{ node: at, ok: true, value: { ...renewed, auditNote: renewed.note } }];
      });
      return { identity: result!.value.summary, talosctl: command };
    },
  };
}
