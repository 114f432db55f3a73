import { useCallback, useEffect, useState } from 'react';
import type { ConfigDiffView, MachineConfigView } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { ApplyConfigPanel } from '../components/ApplyConfigPanel';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FilterBox } from '../components/FilterBox';
import { TeachLine } from '../components/TeachLine';
import { YamlViewer } from '../components/YamlViewer';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useOperations } from '../operations/operation-store';
import { actionBlock } from '../lib/action-gate';
import { plural } from '../lib/format';

type Which = 'v1alpha1' | 'persistent';

/** What the patch box starts with: a strategic merge patch to edit (or replace by a JSON Patch). */
const STARTER_PATCH = `machine:
  sysctls:
    net.core.somaxconn: "65535"
`;

function DiffPanel({ identityId, context, blocked }: { identityId: string; context: string; blocked: string | null }) {
  const nodes = useSession((s) => s.nodes);
  const [left, setLeft] = useState({ node: nodes[0]?.address ?? '', which: 'v1alpha1' as Which });
  const [right, setRight] = useState({ node: nodes[1]?.address ?? nodes[0]?.address ?? '', which: 'v1alpha1' as Which });
  const [hidePerNode, setHidePerNode] = useState(true);
  const [diff, setDiff] = useState<ConfigDiffView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      setDiff(await call('configs.diff', { identityId, left, right, hidePerNode }));
    } catch (e) {
      setDiff(null);
      setError(errorText(e));
    }
  };
  const side = (value: typeof left, set: (v: typeof left) => void, label: string) => (
    <span>
      <select aria-label={`${label} node`} value={value.node} onChange={(e) => set({ ...value, node: e.target.value })}>
        {nodes.map((n) => (
          <option key={n.address} value={n.address}>
            {n.address} {n.hostname ?? ''}
          </option>
        ))}
      </select>
      <select aria-label={`${label} config`} value={value.which} onChange={(e) => set({ ...value, which: e.target.value as Which })}>
        <option value="v1alpha1">active</option>
        <option value="persistent">persistent</option>
      </select>
    </span>
  );
  return (
    <section className="card" aria-label="Config diff">
      <h3>Compare configs</h3>
      <div className="toolbar">
        {side(left, setLeft, 'Left')} ↔ {side(right, setRight, 'Right')}
        <label>
          <input type="checkbox" checked={hidePerNode} onChange={(e) => setHidePerNode(e.target.checked)} /> Hide per-node fields (hostname,
          addresses, certSANs, node labels)
        </label>
        <button className="primary" disabled={blocked !== null} title={blocked ?? undefined} onClick={() => void run()}>
          Compare
        </button>
        {blocked && <span className="reason">Comparing machine configs {blocked}.</span>}
      </div>
      <TeachLine
        command={`${talosctl.get({ context, nodes: [left.node] }, 'mc', left.which, { yaml: true })} > a.yaml; ${talosctl.get({ context, nodes: [right.node] }, 'mc', right.which, { yaml: true })} > b.yaml; diff a.yaml b.yaml`}
        method="/cosi.resource.State/Get"
      />
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {diff && (
        <div>
          <p role="status" aria-label="Diff summary" className={diff.identical || diff.identicalExceptPerNode ? 'ok-text' : 'warn-text'}>
            {diff.summary}
          </p>
          {diff.changes.length > 0 && (
            <table className="grid" aria-label="Config differences">
              <thead>
                <tr>
                  <th>Path</th>
                  <th>Change</th>
                  <th>{left.node}</th>
                  <th>{right.node}</th>
                </tr>
              </thead>
              <tbody>
                {diff.changes.map((c) => (
                  <tr key={c.path}>
                    <td className="mono">
                      {c.path} {c.perNode && <span className="badge">per-node</span>}
                    </td>
                    <td>{c.kind}</td>
                    <td className="mono">{c.left ?? ''}</td>
                    <td className="mono">{c.right ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

export function ConfigsView() {
  const identity = useActiveIdentity();
  const selected = useSession((s) => s.selected);
  const node = selected[0] ?? '';
  const [which, setWhich] = useState<Which>('v1alpha1');
  const [config, setConfig] = useState<MachineConfigView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [editing, setEditing] = useState(false);
  const [find, setFind] = useState({ text: '', seq: 0 });
  const [matches, setMatches] = useState(0);
  const isAdmin = identity?.roles.includes('os:admin') ?? false;

  const load = useCallback(async () => {
    if (!identity || !node) return;
    setError(null);
    try {
      setConfig(await call('configs.get', { identityId: identity.id, node, which }));
    } catch (e) {
      setConfig(null);
      setError(errorText(e));
    }
  }, [identity, node, which]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!identity) return null;
  const applyBlock = actionBlock(identity, '/machine.MachineService/ApplyConfiguration');
  const reveal = async () => {
    setConfirm(false);
    try {
      setConfig(await call('configs.reveal', { identityId: identity.id, node, which }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div>
      <div className="toolbar">
        <span>
          Machine config of <strong>{node}</strong>
        </span>
        <select aria-label="Which config" value={which} onChange={(e) => setWhich(e.target.value as Which)}>
          <option value="v1alpha1">active (v1alpha1)</option>
          <option value="persistent">persistent (on disk)</option>
        </select>
        {config?.redacted && (
          <button
            className="danger"
            disabled={!isAdmin}
            title={
              isAdmin
                ? 'Show secret values; this is recorded in the audit trail'
                : `needs os:admin; this identity has ${identity.roles.join(', ')}`
            }
            onClick={() => setConfirm(true)}
          >
            Reveal secrets…
          </button>
        )}
        {config && !config.redacted && <button onClick={() => void load()}>Hide secrets</button>}
        {config && !config.redacted && !editing && (
          <button
            disabled={applyBlock !== null}
            title={applyBlock ?? 'Edit this config and apply it (dry run first)'}
            data-reason={applyBlock ?? ''}
            onClick={() => setEditing(true)}
          >
            Edit and apply…
          </button>
        )}
        <button
          disabled={applyBlock !== null}
          title={
            applyBlock ?? 'Patch the config of the selected nodes (JSON Patch or strategic merge); the plan shows each node’s dry-run diff'
          }
          data-reason={applyBlock ?? ''}
          onClick={() =>
            useOperations.getState().openPlan({
              action: { kind: 'patch-config', patch: STARTER_PATCH, mode: 'auto', tryTimeoutSeconds: 60 },
              nodes: selected,
            })
          }
        >
          Patch…
        </button>
        {!isAdmin && (
          <span className="reason">Revealing secrets needs os:admin; this identity has {identity.roles.join(', ') || 'no roles'}.</span>
        )}
      </div>
      <TeachLine
        command={talosctl.get({ context: identity.name, nodes: [node] }, 'mc', which, { yaml: true })}
        method="/cosi.resource.State/Get"
      />
      {error && (
        <p className="node-error" role="alert">
          {error}
        </p>
      )}
      {config && (
        <>
          <p className="muted" role="status" aria-label="Config summary">
            {plural(config.documents, 'document')}, version {config.version}
            {config.redacted ? `, ${plural(config.redactedPaths.length, 'secret value')} redacted` : ', secrets shown'}
          </p>
          <div className="toolbar">
            <FilterBox
              label="Find in config"
              placeholder="Find in config (/), Enter for next"
              value={find.text}
              onChange={(text) => setFind({ text, seq: 0 })}
              onEnter={(text) => setFind((f) => ({ text, seq: f.seq + 1 }))}
            />
            {find.text && <span className="muted">{plural(matches, 'match', 'matches')}</span>}
          </div>
          <YamlViewer text={config.yaml} label="Machine config" find={find} onMatches={setMatches} />
        </>
      )}
      {editing && config && !config.redacted && (
        <ApplyConfigPanel
          identityId={identity.id}
          context={identity.name}
          node={node}
          initial={config.yaml}
          onClose={() => setEditing(false)}
        />
      )}
      <DiffPanel
        identityId={identity.id}
        context={identity.name}
        blocked={
          isAdmin
            ? null
            : `needs os:admin (machine configs are a sensitive resource); this identity has ${identity.roles.join(', ') || 'no roles'}`
        }
      />
      {confirm && (
        <ConfirmDialog
          title="Reveal secrets?"
          confirmLabel="Reveal"
          danger
          body={
            <p>
              The CA keys, tokens and encryption secrets of {node} will be shown on screen. The reveal is recorded in the audit trail (the
              values are not).
            </p>
          }
          onConfirm={() => void reveal()}
          onCancel={() => setConfirm(false)}
        />
      )}
    </div>
  );
}
