import { z } from 'zod';
import { channels, isChannel, type Channel } from '../../shared/contract';
import type { Handlers, Intent, MutatingChannel, MutatingHandler, MutationGate, OperationContext, Outcome } from '../../shared/handlers';
import { AppError, type AppErrorShape } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';

export type Dispatch = (channel: unknown, request: unknown) => Promise<Result<unknown>>;
/** Refuses a validated request before its handler runs (read-only identities, shift locks) by throwing an AppError. */
export type Guard = (channel: Channel, request: unknown) => Promise<void>;

/** What a host dispatches to: the handlers, the guard, and the audit gate every mutating channel goes through. */
export interface DispatchTarget {
  handlers: Handlers;
  guard?: Guard;
  /** Without a gate, every mutating channel is refused with AUDIT_UNAVAILABLE. */
  gate?: MutationGate | null;
}

/** Turns any thrown value into a contract error; raw errors never cross to the renderer. */
export function toErrorShape(error: unknown, channel: string, log: (msg: string) => void): AppErrorShape {
  if (error instanceof AppError) return error.toJSON();
  log(`[host] unexpected error in ${channel}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: 'INTERNAL', message: `Nodeglass hit an unexpected error while handling ${channel}. See the app log.` };
}

export const isMutating = (channel: Channel): channel is MutatingChannel => (channels[channel] as { mutating?: boolean }).mutating === true;

/** The targets an outcome is recorded for: the intent's nodes, or this computer for a local action. */
const targetsOf = (intent: Intent) => (intent.nodes.length ? intent.nodes : ['this computer']);

/**
 * Runs a mutating channel through the audit trail: the intent is written before anything runs (no trail, no
 * action), each step's and the final outcome after. A recording that fails after the action ran is logged:
 * the intent stays in the trail as "started". A handler whose work outlives the call (a rolling operation)
 * detaches the trail and records the final outcome itself.
 */
async function runAudited(
  channel: MutatingChannel,
  handler: MutatingHandler<MutatingChannel>,
  request: never,
  gate: MutationGate | null | undefined,
  log: (msg: string) => void,
): Promise<unknown> {
  if (!gate)
    throw new AppError(
      'AUDIT_UNAVAILABLE',
      `${channel} changes something, and this host has no audit trail to record it in; nothing was done. Restart Nodeglass; if this persists, report it.`,
    );
  const intent = await handler.intent(request);
  await gate.admit?.(channel, intent);
  const operation = await gate.begin(channel, intent);
  const record = (write: Promise<unknown>) =>
    write.catch((error: unknown) =>
      log(`[audit] could not record an outcome of ${channel}: ${error instanceof Error ? error.message : String(error)}`),
    );
  const step = async (name: string, outcomes: Outcome[]) => void (await operation.outcome(outcomes, name));
  let detached = false;
  const context: OperationContext = {
    id: operation.id,
    step,
    detach: () => {
      detached = true;
      return {
        id: operation.id,
        step,
        finish: async (outcomes) => {
          try {
            await operation.outcome(outcomes);
          } finally {
            operation.end();
          }
        },
      };
    },
  };
  let value: unknown;
  try {
    value = await handler.run(request, context);
  } catch (error) {
    const e = error instanceof AppError ? error : new AppError('INTERNAL', 'The action failed unexpectedly.');
    await record(operation.outcome(targetsOf(intent).map((node) => ({ node, ok: false, code: e.code, message: e.message }))));
    operation.end();
    throw error;
  }
  if (!detached) {
    await record(operation.outcome(handler.outcomes(value as never, intent)));
    operation.end();
  }
  return value;
}

/**
 * The single entry point for both hosts: checks the channel exists, validates the request against its
 * schema, lets the guard refuse it, runs the handler (a mutating one through the audit gate) and returns a
 * result envelope. Responses are parsed too, which strips any field the contract does not declare.
 */
export function createDispatcher({ handlers, guard, gate }: DispatchTarget, log: (msg: string) => void = console.error): Dispatch {
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
      await guard?.(channel, parsed.data);
      const value = isMutating(channel)
        ? await runAudited(channel, handlers[channel] as unknown as MutatingHandler<MutatingChannel>, parsed.data as never, gate, log)
        : await (handlers[channel] as (req: unknown) => Promise<unknown>)(parsed.data);
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
