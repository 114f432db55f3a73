import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function streamHandlers({ logStreams, eventStreams }: HandlerDeps): HandlersFor<'stream'> {
  return {
    'stream.open': async ({ identityId, nodes, tail, kind, resource }) => ({
      streamId: await eventStreams.start(identityId, nodes, tail, kind, resource),
    }),
    'stream.close': async ({ streamId }) => {
      if (!logStreams.close(streamId)) eventStreams.stop(streamId);
      return {};
    },
  };
}
