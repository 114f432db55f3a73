import type { Channel, EventName, EventPayload, ParsedRequest, Response } from './contract';

/** What the privileged side implements: one function per channel, given a validated request. */
export type Handlers = { [C in Channel]: (request: ParsedRequest<C>) => Promise<Response<C>> };
/** The handlers of one channel prefix (`identities`, `configs`, ...): what one module under services/handlers/ provides. */
export type HandlersFor<Prefix extends string> = Pick<Handlers, Extract<Channel, `${Prefix}.${string}`>>;
/** How services send events to whichever host is running. */
export type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;
