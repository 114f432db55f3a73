import { AppError } from '../../../shared/errors';
import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export function fileHandlers({ sessions, identities, downloads }: HandlerDeps): HandlersFor<'files'> {
  return {
    'files.list': async ({ identityId, node, path }) => {
      const client = await sessions.client(identityId);
      return (await client.list(node, { root: path })).filter((e) => e.relativeName !== '.');
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
