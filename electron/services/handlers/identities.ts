import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { readTalosconfigFile } from '../identities/identity-import';
import { goDuration, talosctl } from '../../../shared/talosctl';
import { writeFileAtomic } from '../../../certs/atomic-file';
import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';
import { allOk } from './outcomes';

const GENERATE = '/machine.MachineService/GenerateClientConfiguration';

export function identityHandlers({
  identities,
  sessions,
  streams,
  pickFile,
  saveFile,
  handovers,
  minting,
}: HandlerDeps): HandlersFor<'identities'> {
  const { store, files, bundles, drafts } = identities;
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
    'identities.draft': async ({ yaml, source }) => drafts.open(yaml, source),
    'identities.openFile': async () => {
      if (!pickFile) return { available: false, draft: null };
      const file = await pickFile();
      return { available: true, draft: file ? drafts.open(await readTalosconfigFile(file), path.basename(file)) : null };
    },
    'identities.openDiscovered': async ({ source }) => {
      const found = await files.readDiscovered(source);
      return drafts.open(found.yaml, found.path);
    },
    'identities.import': ({ draftId, contexts }) => drafts.import(draftId, contexts),
    'identities.discardDraft': async ({ draftId }) => ({ discarded: drafts.discard(draftId) }),
    'identities.rename': ({ id, name }) => store.rename(id, name),
    'identities.update': ({ id, endpoints, nodes }) => forgetAfter(id, store.update(id, endpoints, nodes)),
    'identities.export': {
      intent: async ({ id }) => ({
        identityId: id,
        nodes: [],
        method: 'nodeglass/ExportTalosconfig',
        args: { to: saveFile ? 'a file chosen in the save dialog' : 'a download in the browser' },
        talosctl: '',
      }),
      run: async ({ id }) => {
        const { filename, content } = await files.talosconfigOf(id);
        if (!saveFile) {
          const url = handovers.offer(filename, content, 'application/yaml');
          return { filename, path: null, url, auditNote: `talosconfig with the key in clear as the browser download ${filename}` };
        }
        const target = await saveFile(filename);
        if (!target) throw new AppError('CANCELLED', 'The export was cancelled; nothing was written.');
        await files.exportTalosconfig(id, target);
        return { filename, path: target, url: null, auditNote: `talosconfig with the key in clear to ${target}` };
      },
      outcomes: allOk,
    },
    'identities.exportBundle': {
      intent: async ({ id }) => ({
        identityId: id,
        nodes: [],
        method: 'nodeglass/ExportBundle',
        args: { format: 'scrypt + AES-256-GCM bundle' },
        talosctl: '',
      }),
      run: async ({ id, passphrase }) => {
        const name = (await store.meta(id)).name;
        const bundle = await bundles.export(id, passphrase);
        const target = saveFile ? await saveFile(bundle.filename) : null;
        if (saveFile && !target) throw new AppError('CANCELLED', 'The export was cancelled; nothing was written.');
        if (target) await writeFileAtomic(target, bundle.content, 0o600);
        return {
          filename: bundle.filename,
          path: target,
          content: target ? null : bundle.content,
          auditNote: `encrypted bundle of "${name}" to ${target ?? 'a download in the browser'}`,
        };
      },
      outcomes: allOk,
    },
    'identities.importBundle': ({ content, passphrase }) => bundles.import(content, passphrase),
    'identities.remove': async ({ id }) => ({ removed: await forgetAfter(id, store.remove(id)) }),
    'identities.mark': ({ id, label, colour }) => store.mark(id, { label: label || null, colour }),
    'identities.setReadOnly': {
      intent: async ({ id, readOnly }) => ({
        identityId: id,
        nodes: [],
        method: 'nodeglass/SetReadOnly',
        args: { readOnly },
        talosctl: '',
      }),
      run: ({ id, readOnly }) => store.mark(id, { readOnly }),
      outcomes: allOk,
    },
    'identities.mint': {
      intent: async ({ identityId, node, roles, ttlSeconds, name }) => {
        await store.requireWritable();
        return {
          identityId,
          nodes: [await where(identityId, node)],
          method: GENERATE,
          args: { purpose: 'mint', roles, ttl: goDuration(ttlSeconds), ttlSeconds },
          talosctl: talosctl.configNew(await target(identityId, node), `${name || 'talosconfig'}.yaml`, roles, ttlSeconds),
        };
      },
      run: async ({ identityId, node, roles, ttlSeconds, name, label, colour, readOnly }) => {
        const minted = await minting.mint({ viaId: identityId, node, roles, ttlSeconds, name, label, colour, readOnly, shift: false });
        const command = talosctl.configNew(await target(identityId, node), `${name || 'talosconfig'}.yaml`, roles, ttlSeconds);
        return { identity: minted.summary, talosctl: command, auditNote: minted.note };
      },
      outcomes: allOk,
    },
    'identities.renew': {
      intent: async ({ id, identityId, node }) => {
        await store.requireWritable();
        const old = await store.summaryOf(id);
        const lifetime = old.minted?.ttlSeconds ?? old.lifetimeSeconds;
        return {
          identityId,
          nodes: [await where(identityId, node)],
          method: GENERATE,
          args: { purpose: 'renew', renews: old.name, replacesFingerprint: old.fingerprint, roles: old.roles, ttl: goDuration(lifetime) },
          talosctl: talosctl.configNew(await target(identityId, node), `${old.name}.yaml`, old.roles, lifetime),
        };
      },
      run: async ({ id, identityId, node }) => {
        const old = await store.summaryOf(id);
        const lifetime = old.minted?.ttlSeconds ?? old.lifetimeSeconds;
        const command = talosctl.configNew(await target(identityId, node), `${old.name}.yaml`, old.roles, lifetime);
        const renewed = await minting.renew(id, identityId, node);
        return { identity: renewed.summary, talosctl: command, auditNote: renewed.note };
      },
      outcomes: allOk,
    },
  };
}
