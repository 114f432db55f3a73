import { channels, type Channel } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { IdentityStore, LockCheck } from './identities/identity-store';

type Spec = { mutating?: boolean; readOnlyAllowed?: boolean };

/** Finds the identity of a request that does not name it (a stored plan runs as the identity that made it). */
export type IdentityResolver = (channel: Channel, request: unknown) => string | null;

/** The identity a request acts as: `identityId`, for mutating identity channels (exports) the `id` they act on, else the resolver's. */
function actingIdentity(channel: Channel, request: unknown, resolve: IdentityResolver): string | null {
  const r = request as { identityId?: unknown; id?: unknown };
  if (typeof r?.identityId === 'string') return r.identityId;
  if ((channels[channel] as Spec).mutating && typeof r?.id === 'string') return r.id;
  return resolve(channel, request);
}

/**
 * What the host refuses whatever the renderer shows: every call as an identity that an on-call shift locked (except
 * the audited unlock itself), and every mutating call as an identity opened read-only (unless the channel changes
 * no node). The dispatcher runs it after validation, before the handler.
 */
export function createAccessPolicy(store: Pick<IdentityStore, 'meta'>, locks: LockCheck, resolve: IdentityResolver = () => null) {
  return async (channel: Channel, request: unknown): Promise<void> => {
    const id = actingIdentity(channel, request, resolve);
    if (!id) return;
    await locks.ready();
    const spec = channels[channel] as Spec;
    const locked = channel !== 'shift.unlock' && locks.isLocked(id);
    const readOnly = spec.mutating && !spec.readOnlyAllowed;
    if (!locked && !readOnly) return;
    const meta = await store.meta(id);
    if (locked)
      throw new AppError(
        'IDENTITY_LOCKED',
        `${meta.name} is locked during the on-call shift. Choose it in the sidebar and give a reason to unlock it (the reason is audited).`,
      );
    if (meta.readOnly)
      throw new AppError(
        'READ_ONLY',
        `${meta.name} is open read-only, so Nodeglass refuses changes with it. Turn read-only off in Identities if you mean to act.`,
      );
  };
}

export type AccessPolicy = ReturnType<typeof createAccessPolicy>;
