import { AppError } from '../../../shared/errors';
import { formatFileMode, formatModified } from '../../../shared/file-mode';
import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export function fileHandlers({ sessions, identities, downloads }: HandlerDeps): HandlersFor<'files'> {
  return {
    'files.list': async ({ identityId, node, path }) => {
      const client = await sessions.client(identityId);
      const entries = await client.list(node, { root: path });
      return entries
        .filter((e) => e.relativeName !== '.')
        .map((e) => ({
          name: e.relativeName || e.name.slice(e.name.lastIndexOf('/') + 1),
          path: e.name,
          mode: formatFileMode(e.mode),
          isDir: e.isDir,
          size: Number(e.size),
          uid: e.uid,
          gid: e.gid,
          modified: formatModified(Number(e.modified)),
          modifiedAt: Number(e.modified) * 1000,
          link: e.link,
          error: e.error,
        }));
    },
    'files.read': async ({ identityId, node, path }) => {
      const client = await sessions.client(identityId);
      const meta = await identities.store.meta(identityId);
      if (!meta.roles.includes('os:admin'))
        throw new AppError('PERMISSION_DENIED', `Reading files needs os:admin; this identity has ${meta.roles.join(', ') || 'no roles'}.`);
      const bytes = await client.read(node, path, MAX_FILE_BYTES);
      return { base64: bytes.toString('base64'), size: bytes.length };
    },
    'files.download': (request) => downloads.download(request),
    'files.cancelDownload': async ({ downloadId }) => {
      downloads.cancel(downloadId);
      return {};
    },
  };
}
