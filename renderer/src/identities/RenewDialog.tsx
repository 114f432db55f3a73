import { useState } from 'react';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TeachLine } from '../components/TeachLine';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { lifetimeText } from './LifetimePicker';
import { adminsFor } from './ShiftDialogs';

/** The lifetime a renewal asks for: what Nodeglass minted it with, else the certificate's own span. */
export const renewalLifetime = (i: IdentitySummary) => i.minted?.ttlSeconds ?? i.lifetimeSeconds;

/**
 * Renew: the same roles and lifetime, minted through an admin identity of the same cluster. The host keeps the
 * current certificate until the new one has connected, then swaps it in under the same name and marks.
 */
export function RenewDialog({ identity, onClose }: { identity: IdentitySummary; onClose(): void }) {
  const identities = useSession((s) => s.identities);
  const refresh = useSession((s) => s.refreshIdentities);
  const notify = useUi((s) => s.notify);
  const cluster = adminsFor(identities, identity.caFingerprint);
  const admins = cluster.filter((a) => !a.readOnly && !a.locked);
  const held = cluster.filter((a) => a.readOnly || a.locked);
  const [viaId, setViaId] = useState(admins.find((a) => a.id === identity.id)?.id ?? admins[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const via = admins.find((a) => a.id === viaId) ?? null;
  const lifetime = renewalLifetime(identity);
  const renew = async () => {
    if (!via) return;
    setBusy(true);
    setError(null);
    try {
      const { identity: renewed } = await call('identities.renew', { id: identity.id, identityId: via.id, node: null });
      await refresh();
      notify(
        'info',
        `Renewed ${renewed.name}: valid until ${new Date(renewed.notAfter).toLocaleString()}. The old certificate was replaced.`,
      );
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title={`Renew ${identity.name}?`}
      identity={identity}
      confirmLabel={busy ? 'Renewing…' : 'Renew'}
      confirmDisabled={busy || !via}
      onCancel={onClose}
      onConfirm={() => void renew()}
      body={
        <>
          <p>
            Mints {identity.roles.join(', ')} again for {lifetimeText(lifetime)} and checks that the new certificate connects; only then
            does it replace the current one (same name, endpoints, nodes and marks). Nothing outside the vault is written.
          </p>
          {admins.length ? (
            <label>
              Through{' '}
              <select aria-label="Admin identity" value={viaId} onChange={(e) => setViaId(e.target.value)}>
                {admins.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="warn-text">
              {held.length
                ? `${held.map((a) => `${a.name} is ${a.locked ? 'locked by the shift (choose it in the sidebar and give a reason)' : 'read-only (allow changes on its card)'}`).join('; ')}. Renewing mints through an os:admin identity of this cluster.`
                : 'No os:admin identity of this cluster (same CA) is here; import one to renew through it.'}
            </p>
          )}
          {via && (
            <TeachLine
              command={talosctl.configNew({ context: via.name, nodes: [] }, `${identity.name}.yaml`, identity.roles, lifetime)}
              method="/machine.MachineService/GenerateClientConfiguration"
            />
          )}
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
        </>
      }
    />
  );
}
