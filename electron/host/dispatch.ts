import { z } from 'zod';
import { channels, isChannel, type Channel } from '../../shared/contract';
import type { Handlers } from '../../shared/handlers';
import { AppError, type AppErrorShape } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';

export type Dispatch = (channel: unknown, request: unknown) => Promise<Result<unknown>>;
/** Refuses a validated request before its handler runs (read-only identities, shift locks) by throwing an AppError. */
export type Guard = (channel: Channel, request: unknown) => Promise<void>;

/** Turns any thrown value into a contract error; raw errors never cross to the renderer. */
export function toErrorShape(error: unknown, channel: string, log: (msg: string) => void): AppErrorShape {
  if (error instanceof AppError) return error.toJSON();
  log(`[host] unexpected error in ${channel}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: 'INTERNAL', message: `Nodeglass hit an unexpected error while handling ${channel}. See the app log.` };
}

/**
 * The single entry point for both hosts: checks the channel exists, validates the request against its
 * schema, lets the guard refuse it, runs the handler and returns a result envelope. Responses are parsed
 * too, which strips any field the contract does not declare.
 */
export function createDispatcher(
  handlers: Handlers,
  log: (msg: string) => void = console.error,
  guard: Guard = async () => undefined,
): Dispatch {
  return async (channel, request) => {
    if (!isChannel(channel)) {
      return fail({ code: 'UNKNOWN_CHANNEL', message: `There is no channel named ${JSON.stringify(String(channel)).slice(0, 120)}.` });
    }
    const spec = channels[channel];
    const parsed = spec.request.safeParse(request ?? {});
    if (!parsed.success) {
      return fail({ code: 'VALIDATION', message: `Invalid request for ${channel}: ${z.prettifyError(parsed.error)}` });
    }
    try {
      await guard(channel, parsed.data);
      const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      const checked = spec.response.safeParse(value);
      if (!checked.success) {
        log(`[host] ${channel} produced a response outside the contract: ${z.prettifyError(checked.error)}`);
        return fail({ code: 'INTERNAL', message: `Nodeglass produced an invalid response for ${channel}. See the app log.` });
      }
      return ok(checked.data);
    } catch (error) {
      return fail(toErrorShape(error, channel, log));
    }
  };
}
