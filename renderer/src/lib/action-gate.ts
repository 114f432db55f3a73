import type { IdentitySummary } from '../../../shared/domain/identity';
import { roleBlockReason, serviceActionBlock } from '../../../shared/talos-rbac';

type Gated = Pick<IdentitySummary, 'name' | 'roles' | 'readOnly' | 'locked'>;

/** Why nothing may be changed with this identity (read-only, or locked by a shift), or null. The host refuses the same. */
export function identityBlock(identity: Gated): string | null {
  if (identity.locked) return `${identity.name} is locked during the on-call shift; choose it in the sidebar and give a reason`;
  if (identity.readOnly) return `${identity.name} is open read-only; turn read-only off in Identities to act`;
  return null;
}

/** Why a mutating call is disabled: the identity first (read-only, locked), then its roles. */
export function actionBlock(identity: Gated, method: string): string | null {
  return identityBlock(identity) ?? roleBlockReason(method, identity.roles);
}

/** The same for a service action, with Talos' own rule on which services allow it. */
export function serviceBlock(identity: Gated, service: string, action: 'start' | 'stop' | 'restart'): string | null {
  return identityBlock(identity) ?? serviceActionBlock(service, action, identity.roles);
}
