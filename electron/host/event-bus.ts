import { events, type EventName, type EventPayload } from '../../shared/contract';
import type { Emit } from '../../shared/handlers';

type Listener = (name: EventName, payload: unknown) => void;

/**
 * Services emit here; whichever host is running forwards events to its renderer. Every payload is checked
 * against its schema first, which also strips any field the contract does not declare.
 */
export function createEventBus(log: (msg: string) => void = console.error): { emit: Emit; subscribe(listener: Listener): () => void } {
  const listeners = new Set<Listener>();
  return {
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      const checked = events[name].safeParse(payload);
      if (!checked.success) {
        log(`[host] dropped a ${name} event outside the contract: ${checked.error.message}`);
        return;
      }
      for (const listener of listeners) listener(name, checked.data);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
