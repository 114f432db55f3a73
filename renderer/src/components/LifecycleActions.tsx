import type { OperationAction } from '../../../shared/domain/operation';
import { actionBlock } from '../lib/action-gate';
import { useOperations } from '../operations/operation-store';
import { useActiveIdentity, useSession } from '../stores/session-store';

const ACTIONS: { label: string; method: string; action: OperationAction }[] = [
  { label: 'Reboot…', method: '/machine.MachineService/Reboot', action: { kind: 'reboot', mode: 'default' } },
  { label: 'Shut down…', method: '/machine.MachineService/Shutdown', action: { kind: 'shutdown', force: false } },
  {
    label: 'Upgrade…',
    method: '/machine.MachineService/Upgrade',
    action: {
      kind: 'upgrade',
      image: 'ghcr.io/siderolabs/installer:v1.13.10',
      stage: false,
      force: false,
      preserve: false,
      rebootMode: 'default',
    },
  },
  { label: 'Roll back…', method: '/machine.MachineService/Rollback', action: { kind: 'rollback' } },
  {
    label: 'Reset…',
    method: '/machine.MachineService/Reset',
    action: { kind: 'reset', graceful: true, reboot: false, mode: 'all', systemLabels: [], userDisks: [] },
  },
];

/**
 * Reboot, shutdown, upgrade, rollback and reset: each opens a plan (targets chosen there, pre-filled with the selected nodes),
 * which the operator reads and confirms; the roll then runs node by node with health gates.
 */
export function LifecycleActions() {
  const identity = useActiveIdentity();
  const selected = useSession((s) => s.selected);
  const openPlan = useOperations((s) => s.openPlan);
  if (!identity) return null;
  return (
    <section className="card" aria-label="Node actions">
      <div className="toolbar">
        <strong>Node actions</strong>
        {ACTIONS.map(({ label, method, action }) => {
          const reason = actionBlock(identity, method);
          return (
            <button
              key={label}
              className="danger"
              disabled={reason !== null}
              title={reason ?? `Plan: ${label.replace('…', '').toLowerCase()} nodes one at a time, with health checks`}
              data-reason={reason ?? ''}
              onClick={() => openPlan({ action, nodes: selected })}
            >
              {label}
            </button>
          );
        })}
        <span className="muted">Opens a plan: targets, order, health gates and quorum check, confirmed before anything is sent.</span>
      </div>
    </section>
  );
}
