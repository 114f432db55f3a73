import { useState } from 'react';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { talosctl } from '../../../shared/talosctl';
import { errorText } from '../api/call';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TeachLine } from '../components/TeachLine';
import { useSession } from '../stores/session-store';
import { useShift } from '../stores/shift-store';
import { LifetimePicker, lifetimeText } from './LifetimePicker';
import { NodeChoice, useControlPlanes } from './MintDialog';

const SHIFTS = [
  { label: '4 h', seconds: 4 * 3600 },
  { label: '8 h', seconds: 8 * 3600 },
  { label: '12 h', seconds: 12 * 3600 },
  { label: '24 h', seconds: 24 * 3600 },
] as const;

/** Admin identities that could mint for this one: same CA (same cluster), usable now. */
export function adminsFor(identities: IdentitySummary[], caFingerprint: string): IdentitySummary[] {
  return identities.filter((i) => i.caFingerprint === caFingerprint && i.roles.includes('os:admin') && i.expiry !== 'expired');
}

/** "Start shift": mint an operator identity for the shift's length, switch to it, lock the cluster's admin identities. */
export function StartShiftDialog({ via, onClose }: { via: IdentitySummary; onClose(): void }) {
  const identities = useSession((s) => s.identities);
  const controlPlanes = useControlPlanes(via);
  const [ttl, setTtl] = useState(8 * 3600);
  const [node, setNode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const locks = adminsFor(identities, via.caFingerprint).map((i) => i.name);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await useShift.getState().start(via.id, node, ttl);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title="Start an on-call shift"
      identity={via}
      confirmLabel={busy ? 'Starting…' : `Start ${lifetimeText(ttl)} shift`}
      confirmDisabled={busy}
      onCancel={onClose}
      onConfirm={() => void start()}
      body={
        <>
          <p>
            Nodeglass mints an <span className="badge role-os-operator">os:operator</span> identity that expires when the shift ends,
            switches to it, and locks {locks.length ? <strong>{locks.join(', ')}</strong> : 'the admin identities'}. A locked identity is
            refused by Nodeglass until you choose it and give a reason, which goes into the audit trail.
          </p>
          <LifetimePicker value={ttl} onChange={setTtl} presets={SHIFTS} />
          <NodeChoice value={node} onChange={setNode} controlPlanes={controlPlanes} />
          <TeachLine
            command={talosctl.configNew({ context: via.name, nodes: node ? [node] : [] }, 'shift.yaml', ['os:operator'], ttl)}
            method="/machine.MachineService/GenerateClientConfiguration"
          />
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

/** Choosing a locked admin identity during a shift: it opens only with a reason, recorded in the audit trail. */
export function UnlockDialog() {
  const id = useShift((s) => s.unlocking);
  const shift = useShift((s) => s.shift);
  const identity = useSession((s) => s.identities.find((i) => i.id === id) ?? null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!id || !identity) return null;
  const close = () => {
    setReason('');
    setError(null);
    useShift.getState().cancelUnlock();
  };
  const unlock = async () => {
    try {
      await useShift.getState().unlock(id, reason.trim());
      setReason('');
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <ConfirmDialog
      title={`Use ${identity.name} during the shift?`}
      identity={identity}
      confirmLabel={`Unlock ${identity.name}`}
      danger
      confirmDisabled={reason.trim().length < 5}
      onCancel={close}
      onConfirm={() => void unlock()}
      body={
        <>
          <p>
            {identity.name} is locked while {shift ? <strong>{shift.operator.name}</strong> : 'the shift identity'} is on call
            {shift ? ` (until ${new Date(shift.endsAt).toLocaleTimeString()})` : ''}. Say why you need it; the reason is recorded in the
            audit trail with your name.
          </p>
          <label>
            Reason{' '}
            <input
              aria-label="Reason"
              value={reason}
              autoFocus
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. etcd quorum lost, restoring a snapshot"
              style={{ minWidth: 360 }}
            />
          </label>
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
