import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function labHandlers({ lab, streams }: HandlerDeps): HandlersFor<'lab'> {
  return {
    'lab.status': async () => lab.status(),
    'lab.start': (options) => lab.start(options),
    'lab.stop': async () => {
      streams.closeAll();
      return lab.stop();
    },
    'lab.scenarios': async () => lab.scenarios(),
    'lab.stage': async (request) => lab.stage(request),
    'lab.clearScenarios': async () => lab.clearScenarios(),
    'lab.heal': async (request) => lab.heal(request),
  };
}
