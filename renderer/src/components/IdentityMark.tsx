import '../identities/identities.css';
import type { IdentitySummary } from '../../../shared/domain/identity';

type Marked = Pick<IdentitySummary, 'name' | 'label' | 'colour' | 'readOnly'>;

/** The production marking of an identity: its label in its colour, and "read-only" when it is opened so. */
export function IdentityMark({ identity, withName = false }: { identity: Marked; withName?: boolean }) {
  if (!withName && !identity.label && !identity.readOnly) return null;
  return (
    <span className="identity-mark" data-mark={identity.label ?? ''}>
      {withName && <span className="identity-mark-name">{identity.name}</span>}
      {identity.label && (
        <span className={`mark-label mark-${identity.colour ?? 'none'}`} title={`Marked "${identity.label}"`}>
          {identity.label}
        </span>
      )}
      {identity.readOnly && (
        <span className="badge badge-readonly" title="The host refuses every change made with this identity">
          read-only
        </span>
      )}
    </span>
  );
}
