import { AppError } from '../../../shared/errors';
import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function streamHandlers({ streams }: HandlerDeps): HandlersFor<'stream'> {
  return {
    'stream.open': async ({ streamId, identityId, nodes, tail, kind, resource }) => {
      if (kind === 'resources' && !resource) throw new AppError('INVALID_ARGUMENT', 'A resource watch needs a type and a namespace.');
      const parts = nodes.map((node) => ({
        key: node,
        spec: kind === 'resources' ? { kind, node, resource: resource! } : { kind, node, tail },
      }));
      await streams.start(streamId, identityId, parts);
      return {};
    },
    'stream.close': async ({ streamId }) => ({ closed: streams.close(streamId) }),
  };
}
