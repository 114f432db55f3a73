import type { Channel, Channels, EventName, EventPayload, ParsedRequest, Response } from './contract';
import type { AuditEntry } from './domain/audit';

/** The channels the contract marks `mutating`: they change something on a node or reveal a secret. */
export type MutatingChannel = { [C in Channel]: Channels[C] extends { mutating: true } ? C : never }[Channel];

/** What an operation is about to do: written to the audit trail before anything is sent. */
export interface Intent {
  identityId: string;
  /** Who acted, when the identity is no longer stored (a shift operator removed by hand); otherwise looked up. */
  actor?: { name: string; fingerprint: string; roles: string[] };
  nodes: string[];
  method: string;
  args: Record<string, unknown>;
  talosctl: string;
}

export type Outcome = AuditEntry['outcomes'][number];

/** An operation's trail handed over to work that outlives the call (a rolling operation's runner). */
export interface DetachedTrail {
  id: string;
  step(name: string, outcomes: Outcome[]): Promise<void>;
  /** Records the final outcome and closes the trail. */
  finish(outcomes: Outcome[]): Promise<void>;
}

/** Given to a mutating handler while it runs: records how each step of a multi-step operation went. */
export interface OperationContext {
  /** The operation id every entry of this operation carries. */
  id: string;
  step(name: string, outcomes: Outcome[]): Promise<void>;
  /**
   * For an operation that goes on after the call returns: the caller takes the trail and records the final
   * outcome itself; the dispatcher then records none when the call returns (it still does if the call throws).
   */
  detach(): DetachedTrail;
}

/** What the trail keeps of a local result besides ok (never a secret); the contract strips it from the response. */
export type WithAuditNote<T> = T & { auditNote?: string };

/**
 * A mutating channel's handler: the dispatcher asks for the intent, writes it, runs the action, and records
 * the outcomes, so no handler can act without a trail or forget to record.
 */
export interface MutatingHandler<C extends Channel> {
  intent(request: ParsedRequest<C>): Promise<Intent>;
  run(request: ParsedRequest<C>, operation: OperationContext): Promise<WithAuditNote<Response<C>>>;
  /** How each target went, from a run that returned (a run that throws is recorded as failed on every target). */
  outcomes(response: WithAuditNote<Response<C>>, intent: Intent): Outcome[];
}

type PlainHandler<C extends Channel> = (request: ParsedRequest<C>) => Promise<Response<C>>;

/** What the privileged side implements: one function per channel (an audited handler for mutating ones). */
export type Handlers = { [C in Channel]: C extends MutatingChannel ? MutatingHandler<C> : PlainHandler<C> };
/** The handlers of one channel prefix (`identities`, `configs`, ...): what one module under services/handlers/ provides. */
export type HandlersFor<Prefix extends string> = Pick<Handlers, Extract<Channel, `${Prefix}.${string}`>>;
/** How services send events to whichever host is running. */
export type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** One operation's record in the audit trail, as the dispatcher drives it. */
export interface AuditedOperation {
  id: string;
  outcome(outcomes: Outcome[], step?: string): Promise<unknown>;
  end(): void;
}

/**
 * Where the dispatcher sends every mutating call: `admit` may refuse one before anything is written (a
 * read-only identity, say); `begin` writes the intent and fails with AUDIT_UNAVAILABLE when it cannot.
 */
export interface MutationGate {
  admit?(channel: MutatingChannel, intent: Intent): Promise<void> | void;
  begin(channel: MutatingChannel, intent: Intent): Promise<AuditedOperation>;
}

/**
 * How log frames (shared/log-frame.ts) reach the renderer's log worker: binary, never through the JSON event
 * path. `send` returns false while the stream has no way there yet (its port is not attached); the sender
 * then holds the lines, as it does when the viewer falls behind.
 */
export interface LogFrameSink {
  send(streamId: string, frame: ArrayBuffer): boolean;
  /** The stream ended: let go of whatever carried its frames. */
  close(streamId: string): void;
}
