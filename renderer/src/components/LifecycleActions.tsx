import { useEffect, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { actionBlock } from '../lib/action-gate';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { plural } from '../lib/format';
import { ConfirmDialog } from './ConfirmDialog';
import { TeachLine } from './TeachLine';

type Action = 'reboot' | 'shutdown' | 'upgrade';
const METHOD: Record<Action, string> = {
  reboot: '/machine.MachineService/Reboot',
  shutdown: '/machine.MachineService/Shutdown',
  upgrade: '/machine.MachineService/Upgrade',
};
const WARNING: Record<Action, string> = {
  reboot: 'The nodes stop their services and are unreachable until they are back.',
  shutdown: 'The nodes power off and stay off until someone powers them on; Nodeglass cannot turn them back on.',
  upgrade: 'The nodes install the new Talos image and reboot.',
};

/** Reboot, shutdown and upgrade for the selected nodes: role-gated, confirmed, recorded in the audit trail. */
export function LifecycleActions() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const notify = useUi((s) => s.notify);
  const [pending, setPending] = useState<Action | null>(null);
  const [image, setImage] = useState('ghcr.io/siderolabs/installer:v1.13.10');
  const [results, setResults] = useState<PerNode<{ actorId: string; message: string }>[] | null>(null);
  const [tracking, setTracking] = useState<Record<string, string>>({});
  const identityId = identity?.id;

  // Like `talosctl reboot --wait`: follow each node until it answers again after going down.
  useEffect(() => {
    const watched = Object.keys(tracking).filter((n) => tracking[n] !== 'back');
    if (!identityId || watched.length === 0) return;
    const timer = setInterval(() => {
      void call('talos.version', { identityId, nodes: watched }).then((rs) =>
        setTracking((t) => {
          const next = { ...t };
          for (const r of rs) {
            if (!r.ok) next[r.node] = 'down';
            else if (t[r.node] === 'down') next[r.node] = 'back';
          }
          return next;
        }),
      );
    }, 1000);
    return () => clearInterval(timer);
  }, [identityId, tracking]);

  if (!identity || nodes.length === 0) return null;
  const t = { context: identity.name, nodes };
  const command = (a: Action) =>
    a === 'reboot' ? talosctl.reboot(t) : a === 'shutdown' ? talosctl.shutdown(t) : talosctl.upgrade(t, image);
  const run = async (action: Action) => {
    setPending(null);
    try {
      const r = await call('talos.lifecycle', { identityId: identity.id, nodes, action, image: action === 'upgrade' ? image : null });
      setResults(r);
      if (action !== 'shutdown') setTracking(Object.fromEntries(r.filter((x) => x.ok).map((x) => [x.node, 'going down'])));
    } catch (e) {
      notify('error', errorText(e));
    }
  };
  return (
    <section className="card" aria-label="Node actions">
      <div className="toolbar">
        <strong>Node actions</strong>
        {(['reboot', 'shutdown', 'upgrade'] as Action[]).map((a) => {
          const reason = actionBlock(identity, METHOD[a]);
          return (
            <button
              key={a}
              className="danger"
              disabled={reason !== null}
              title={reason ?? `${a} ${nodes.join(', ')}`}
              data-reason={reason ?? ''}
              onClick={() => setPending(a)}
            >
              {a[0]!.toUpperCase() + a.slice(1)}…
            </button>
          );
        })}
        <input aria-label="Installer image" value={image} onChange={(e) => setImage(e.target.value)} style={{ minWidth: 320 }} />
      </div>
      {results && (
        <div role="status" aria-label="Node action result">
          {results.map((r) => (
            <div key={r.node}>
              <strong>{r.node}</strong>:{' '}
              {r.ok ? `${r.value.message} (actor ${r.value.actorId})` : <span className="error-text">{r.error.message}</span>}
              {tracking[r.node] && (
                <span className="muted" data-tracking={tracking[r.node]}>
                  {' '}
                  ·{' '}
                  {tracking[r.node] === 'back'
                    ? 'back up and answering'
                    : tracking[r.node] === 'down'
                      ? 'down, waiting for it to come back…'
                      : 'going down…'}
                </span>
              )}
            </div>
          ))}
        </div>
      )}
      {pending && (
        <ConfirmDialog
          title={`${pending[0]!.toUpperCase()}${pending.slice(1)} ${plural(nodes.length, 'node')}?`}
          confirmLabel={`${pending[0]!.toUpperCase()}${pending.slice(1)} ${nodes.join(', ')}`}
          danger
          body={
            <>
              <p>
                {WARNING[pending]} Nodes: <strong>{nodes.join(', ')}</strong>.
              </p>
              <TeachLine command={command(pending)} method={METHOD[pending]} />
            </>
          }
          onConfirm={() => void run(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </section>
  );
}
