import { AppError } from '../../../shared/errors';
import type { ResourceItem, ResourceKind, TalosClient } from '../../talos/client';
import { redactSpec } from './redact-spec';

export interface GuardedItem {
  item: ResourceItem;
  sensitive: boolean;
  redacted: string[];
  withheld: string[];
}

/*
 * The one gate for secrets in resources: whether a type is sensitive comes from the node's
 * ResourceDefinitions (as Talos decides it); a type that cannot be looked up counts as sensitive. A sensitive
 * item leaves here only redacted; the full one only through the admin-only, confirmed, audited reveal
 * (resources.reveal, configs.reveal).
 */

/** Is the type sensitive on this node? Unknown (no definition, lookup failed) counts as yes. */
export async function isSensitiveType(client: TalosClient, node: string, type: string, kinds?: ResourceKind[] | null): Promise<boolean> {
  const known = kinds ?? (await client.resourceDefinitions(node).catch(() => null));
  const kind = known?.find((k) => k.type.toLowerCase() === type.toLowerCase());
  return kind ? kind.sensitive : true;
}

/** The item as it may be shown: redacted when sensitive. */
export function guardItem(item: ResourceItem, sensitive: boolean): GuardedItem {
  if (!sensitive) return { item, sensitive, redacted: [], withheld: [] };
  const { spec, redacted, withheld } = redactSpec(item.spec);
  return { item: { ...item, spec, yaml: '' }, sensitive, redacted, withheld };
}

/** Talos refuses sensitive types to non-admins with a bare "not authorized"; say why. */
export function explainDenied(error: unknown, type: string, roles: string[]): unknown {
  if (error instanceof AppError && error.code === 'PERMISSION_DENIED' && /not authorized/.test(error.message))
    return new AppError(
      'PERMISSION_DENIED',
      `${type} is a sensitive resource: reading it needs os:admin; this identity has ${roles.join(', ') || 'no roles'}.`,
    );
  return error;
}
