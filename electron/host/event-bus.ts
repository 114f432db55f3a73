import type { EventName, EventPayload } from '../../shared/contract';
import type { Emit } from './dispatch';

type Listener = (name: EventName, payload: unknown) => void;

/** Services emit here; whichever host is running forwards events to its renderer. */
export function createEventBus(): { emit: Emit; subscribe(listener: Listener): () => void } {
  const listeners = new Set<Listener>();
  return {
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      for (const listener of listeners) listener(name, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
