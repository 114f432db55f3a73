import { useState } from 'react';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { call, errorText } from '../api/call';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { identityBlock } from '../lib/action-gate';
import { useSession } from '../stores/session-store';
import { useShift } from '../stores/shift-store';
import { useUi } from '../stores/ui-store';
import { MintDialog } from './MintDialog';
import { RenewDialog } from './RenewDialog';
import { StartShiftDialog } from './ShiftDialogs';

type Open = 'mint' | 'shift' | 'renew' | 'writable' | null;

/** Least-privilege actions on one identity: mint, start a shift, renew, and read-only on or off. */
export function IdentityTools({ identity: i }: { identity: IdentitySummary }) {
  const refresh = useSession((s) => s.refreshIdentities);
  const notify = useUi((s) => s.notify);
  const shift = useShift((s) => s.shift);
  const [open, setOpen] = useState<Open>(null);
  const mintBlock =
    identityBlock(i) ?? (i.roles.includes('os:admin') ? null : `minting needs os:admin; ${i.name} has ${i.roles.join(', ') || 'no roles'}`);
  const shiftBlock = mintBlock ?? (shift?.active ? `a shift is already running as ${shift.operator.name}` : null);
  const renewable = i.expiry !== 'ok';
  // Short-lived identities are always inside the warning window; Renew stands out once a quarter of the lifetime is left.
  const renewDue = i.expiry === 'expired' || i.daysLeft * 86_400 < Math.min(7 * 86_400, i.lifetimeSeconds / 4);

  const setReadOnly = async (readOnly: boolean) => {
    try {
      await call('identities.setReadOnly', { id: i.id, readOnly });
      await refresh();
      notify(
        'info',
        readOnly ? `${i.name} is now read-only: Nodeglass refuses every change made with it.` : `${i.name} may make changes again.`,
      );
    } catch (e) {
      notify('error', errorText(e));
    }
  };

  return (
    <>
      <button
        disabled={mintBlock !== null}
        title={mintBlock ?? 'Mint a narrower, shorter-lived identity (talosctl config new)'}
        data-reason={mintBlock ?? ''}
        onClick={() => setOpen('mint')}
      >
        Mint…
      </button>
      <button
        disabled={shiftBlock !== null}
        title={shiftBlock ?? 'Mint an operator identity for your shift and switch to it'}
        data-reason={shiftBlock ?? ''}
        onClick={() => setOpen('shift')}
      >
        Start shift…
      </button>
      {renewable && (
        <button
          className={renewDue ? 'primary' : undefined}
          onClick={() => setOpen('renew')}
          title="Mint the same roles and lifetime again through an admin identity"
        >
          Renew…
        </button>
      )}
      {i.readOnly ? (
        <button onClick={() => setOpen('writable')}>Allow changes…</button>
      ) : (
        <button onClick={() => void setReadOnly(true)} title="Disable every action that changes a node, in the UI and at the host">
          Open read-only
        </button>
      )}
      {open === 'mint' && <MintDialog via={i} onClose={() => setOpen(null)} />}
      {open === 'shift' && <StartShiftDialog via={i} onClose={() => setOpen(null)} />}
      {open === 'renew' && <RenewDialog identity={i} onClose={() => setOpen(null)} />}
      {open === 'writable' && (
        <ConfirmDialog
          title={`Allow changes with ${i.name}?`}
          identity={i}
          confirmLabel="Allow changes"
          danger
          body={
            <p>
              Nodeglass will offer every action its roles ({i.roles.join(', ')}) allow again. The change is recorded in the audit trail.
            </p>
          }
          onCancel={() => setOpen(null)}
          onConfirm={() => {
            setOpen(null);
            void setReadOnly(false);
          }}
        />
      )}
    </>
  );
}
