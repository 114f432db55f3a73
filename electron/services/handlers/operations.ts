import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

/** Plans are made and stored here; only a stored, confirmed plan runs (see operations/operation-service.ts). */
export function operationHandlers({ operations }: HandlerDeps): HandlersFor<'operations'> {
  return {
    'operations.plan': (request) => operations.plan(request),
    'operations.start': {
      intent: async (request) => operations.intentFor(request),
      run: (request, operation) => operations.start(request, operation.detach()),
      // The runner records the final outcome when the operation ends.
      outcomes: () => [],
    },
    'operations.control': async ({ operationId, action }) => operations.control(operationId, action),
    'operations.list': async () => operations.list(),
  };
}
