import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function appHandlers({ host, version }: HandlerDeps): HandlersFor<'app'> {
  return {
    'app.info': async () => ({ name: 'Nodeglass', version, host, platform: process.platform }),
  };
}
