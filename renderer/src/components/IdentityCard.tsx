import { useState } from 'react';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { call, errorText } from '../api/call';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { ExportDialog } from '../identities/ExportDialog';
import { ColourChoice } from '../identities/MintDialog';
import { IdentityTools } from '../identities/IdentityTools';
import { lifetimeText } from '../identities/LifetimePicker';
import { ConfirmDialog } from './ConfirmDialog';
import { IdentityMark } from './IdentityMark';
import { RoleBadges } from './RoleBadges';
import { expiryLabel } from './Sidebar';

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function IdentityCard({ identity: i }: { identity: IdentitySummary }) {
  const refresh = useSession((s) => s.refreshIdentities);
  const notify = useUi((s) => s.notify);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(i.name);
  const [endpoints, setEndpoints] = useState(i.endpoints.join(', '));
  const [nodes, setNodes] = useState(i.nodes.join(', '));
  const [label, setLabel] = useState(i.label ?? '');
  const [colour, setColour] = useState(i.colour);
  const [exporting, setExporting] = useState(false);
  const [removing, setRemoving] = useState(false);

  const run = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      notify('info', done);
      await refresh();
    } catch (e) {
      notify('error', errorText(e));
    }
  };

  const save = () =>
    run(async () => {
      if (name.trim() !== i.name) await call('identities.rename', { id: i.id, name: name.trim() });
      await call('identities.update', { id: i.id, endpoints: list(endpoints), nodes: list(nodes) });
      if ((label.trim() || null) !== i.label || colour !== i.colour)
        await call('identities.mark', { id: i.id, label: label.trim() || null, colour });
      setEditing(false);
    }, `Saved ${name.trim()}.`);

  return (
    <section className="card" aria-label={`Identity ${i.name}`} data-identity={i.name}>
      <h3>
        {i.name} {i.practice && <span className="badge">practice</span>} <IdentityMark identity={i} />
        {i.locked && (
          <span className="badge badge-locked" title="Locked by the on-call shift">
            locked
          </span>
        )}
        {i.minted?.shift && <span className="badge">shift</span>}
      </h3>
      <dl className="kv">
        <dt>Roles</dt>
        <dd>
          <RoleBadges roles={i.roles} />
        </dd>
        <dt>Expires</dt>
        <dd className={i.expiry === 'ok' ? '' : 'warn-text'} data-expiry>
          {i.daysLeft < 2 ? new Date(i.notAfter).toLocaleString() : new Date(i.notAfter).toISOString().slice(0, 10)} (
          {expiryLabel(i.expiry === 'ok' ? 'soon' : i.expiry, i.daysLeft)})
        </dd>
        {i.minted && (
          <>
            <dt>Minted</dt>
            <dd data-minted>
              by {i.minted.by}, {new Date(i.minted.at).toLocaleString()}, for {lifetimeText(i.minted.ttlSeconds)}
            </dd>
          </>
        )}
        <dt>Endpoints</dt>
        <dd>{i.endpoints.join(', ') || <span className="warn-text">none</span>}</dd>
        <dt>Nodes</dt>
        <dd>{i.nodes.join(', ') || 'none'}</dd>
        <dt>Subject</dt>
        <dd>{i.subject}</dd>
        <dt>Issuer</dt>
        <dd>{i.issuer}</dd>
        <dt>Key</dt>
        <dd>{i.keyAlgorithm}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono" style={{ wordBreak: 'break-all' }}>
          {i.fingerprint}
        </dd>
      </dl>
      {i.warnings.map((w) => (
        <p key={w} className="warn-text">
          {w}
        </p>
      ))}
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            Name <input aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Endpoints <input aria-label="Endpoints" value={endpoints} onChange={(e) => setEndpoints(e.target.value)} />
          </label>
          <label>
            Nodes <input aria-label="Nodes" value={nodes} onChange={(e) => setNodes(e.target.value)} />
          </label>
          <label>
            Label{' '}
            <input aria-label="Label" value={label} maxLength={24} placeholder='e.g. "prod"' onChange={(e) => setLabel(e.target.value)} />
          </label>
          <span className="form-row">
            Colour <ColourChoice value={colour} onChange={setColour} />
          </span>
          <div className="toolbar">
            <button className="primary" type="submit">
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="toolbar">
          <button onClick={() => setEditing(true)}>Edit</button>
          <IdentityTools identity={i} />
          {!i.practice && <button onClick={() => setExporting(true)}>Export…</button>}
          {!i.practice && (
            <button className="danger" onClick={() => setRemoving(true)}>
              Remove
            </button>
          )}
        </div>
      )}
      {exporting && <ExportDialog identity={i} onClose={() => setExporting(false)} />}
      {removing && (
        <ConfirmDialog
          title={`Remove ${i.name}?`}
          identity={i}
          confirmLabel="Remove"
          danger
          body={<p>Its encrypted key is deleted from the vault. Import the talosconfig again to get it back.</p>}
          onCancel={() => setRemoving(false)}
          onConfirm={() => {
            setRemoving(false);
            void run(() => call('identities.remove', { id: i.id }), `Removed ${i.name}.`);
          }}
        />
      )}
    </section>
  );
}
