import { useState } from 'react';
import { IDENTITY_COLOURS, MINTABLE_ROLES, type IdentityColour, type IdentitySummary } from '../../../shared/domain/identity';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TeachLine } from '../components/TeachLine';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { LifetimePicker, lifetimeText } from './LifetimePicker';

const ROLE_HELP: Record<(typeof MINTABLE_ROLES)[number], string> = {
  'os:reader': 'read everything except secrets',
  'os:operator': 'also restart services, reboot, etcd maintenance',
  'os:etcd:backup': 'take etcd snapshots',
  'os:admin': 'everything, including configs and minting',
};

/** Control planes of the minting identity's nodes, when they are the ones the sidebar lists. */
export function useControlPlanes(via: IdentitySummary): string[] {
  const activeId = useSession((s) => s.activeId);
  const nodes = useSession((s) => s.nodes);
  if (via.id !== activeId) return [];
  return nodes.filter((n) => n.machineType === 'controlplane' || n.machineType === 'init').map((n) => n.address);
}

export function NodeChoice({
  value,
  onChange,
  controlPlanes,
}: {
  value: string | null;
  onChange(node: string | null): void;
  controlPlanes: string[];
}) {
  return (
    <label>
      Mint on{' '}
      <select aria-label="Control plane" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">the endpoint (a control plane)</option>
        {controlPlanes.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ColourChoice({ value, onChange }: { value: IdentityColour | null; onChange(colour: IdentityColour | null): void }) {
  return (
    <span className="colour-choice" role="radiogroup" aria-label="Colour">
      {[null, ...IDENTITY_COLOURS].map((c) => (
        <label key={c ?? 'none'} className={`swatch mark-${c ?? 'none'}${value === c ? ' active' : ''}`} title={c ?? 'no colour'}>
          <input type="radio" name="colour" checked={value === c} onChange={() => onChange(c)} aria-label={c ?? 'no colour'} />
        </label>
      ))}
    </span>
  );
}

/**
 * `talosctl config new` through an admin identity: roles, lifetime and marks. The node signs a new certificate and
 * the host puts it, with its key, straight into the vault; this dialog only ever sees the summary.
 */
export function MintDialog({ via, onClose }: { via: IdentitySummary; onClose(): void }) {
  const refresh = useSession((s) => s.refreshIdentities);
  const notify = useUi((s) => s.notify);
  const controlPlanes = useControlPlanes(via);
  const [roles, setRoles] = useState<string[]>(['os:reader']);
  const [ttl, setTtl] = useState(8 * 3600);
  const [name, setName] = useState('');
  const [label, setLabel] = useState(via.label ?? '');
  const [colour, setColour] = useState<IdentityColour | null>(via.colour);
  const [readOnly, setReadOnly] = useState(false);
  const [node, setNode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ordered = MINTABLE_ROLES.filter((r) => roles.includes(r));
  const command = talosctl.configNew({ context: via.name, nodes: node ? [node] : [] }, `${name || 'talosconfig'}.yaml`, ordered, ttl);

  const mint = async () => {
    setBusy(true);
    setError(null);
    try {
      const { identity } = await call('identities.mint', {
        identityId: via.id,
        node,
        roles: ordered,
        ttlSeconds: ttl,
        name: name.trim() || null,
        label: label.trim() || null,
        colour,
        readOnly,
      });
      await refresh();
      notify('info', `Minted ${identity.name} (${identity.roles.join(', ')}, ${lifetimeText(ttl)}). Its key went straight into the vault.`);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title="Mint an identity"
      identity={via}
      confirmLabel={busy ? 'Minting…' : 'Mint'}
      confirmDisabled={busy || roles.length === 0}
      onCancel={onClose}
      onConfirm={() => void mint()}
      body={
        <form className="mint-form" onSubmit={(e) => e.preventDefault()}>
          <p className="muted">
            A control plane signs a new client certificate with the cluster's CA. Its private key goes straight into the vault and is never
            shown; the new identity gets {via.name}'s endpoints and nodes.
          </p>
          <fieldset>
            <legend>Roles</legend>
            {MINTABLE_ROLES.map((r) => (
              <label key={r} className="role-choice">
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
                />{' '}
                <span className={`badge role-${r.replace(/[^a-z]/g, '-')}`}>{r}</span> <span className="muted">{ROLE_HELP[r]}</span>
              </label>
            ))}
          </fieldset>
          <LifetimePicker value={ttl} onChange={setTtl} />
          <div className="form-grid">
            <label>
              Name{' '}
              <input
                aria-label="Name"
                value={name}
                placeholder="as Talos names it, e.g. reader@lab"
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <label>
              Label{' '}
              <input aria-label="Label" value={label} maxLength={24} placeholder="e.g. prod" onChange={(e) => setLabel(e.target.value)} />
            </label>
            <span className="form-row">
              Colour <ColourChoice value={colour} onChange={setColour} />
            </span>
            <label>
              <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} /> Open read-only
            </label>
            <NodeChoice value={node} onChange={setNode} controlPlanes={controlPlanes} />
          </div>
          <TeachLine command={command} method="/machine.MachineService/GenerateClientConfiguration" />
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
        </form>
      }
    />
  );
}
