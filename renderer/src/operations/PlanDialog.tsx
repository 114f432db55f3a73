import { useEffect, useRef, useState } from 'react';
import type { OperationAction, Plan } from '../../../shared/domain/operation';
import { call, errorText } from '../api/call';
import { IdentityMark } from '../components/IdentityMark';
import { Modal } from '../components/Modal';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { ActionOptions } from './ActionOptions';
import { askForNotifications, trackStarted, useOperations } from './operation-store';
import { confirmed, PlanReview, type Confirmation } from './PlanReview';
import { TargetPicker } from './TargetPicker';

const VERBS: Record<OperationAction['kind'], string> = {
  reboot: 'Reboot',
  shutdown: 'Shut down',
  upgrade: 'Upgrade',
  'apply-config': 'Apply config to',
  'patch-config': 'Patch the config of',
  service: 'Service action on',
  'etcd-defrag': 'Defragment etcd on',
  'etcd-alarm-disarm': 'Disarm etcd alarms through',
  'etcd-forfeit-leadership': 'Forfeit etcd leadership on',
  'etcd-leave': 'Leave etcd:',
  'etcd-remove-member': 'Remove an etcd member through',
  reset: 'Reset',
  rollback: 'Roll back',
  bootstrap: 'Bootstrap etcd on',
  'image-pull': 'Pull an image on',
};

/**
 * Every mutating action across nodes starts here: choose the targets and options, read the plan the host made
 * (nothing has been sent yet), type what it asks for, and start it. The host runs exactly that plan.
 */
export function PlanDialog() {
  const draft = useOperations((s) => s.draft);
  const close = useOperations((s) => s.closePlan);
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.nodes);
  const [action, setAction] = useState<OperationAction | null>(draft?.action ?? null);
  const [targets, setTargets] = useState<string[]>(draft?.nodes ?? []);
  const [batch, setBatch] = useState(1);
  const [timeout, setTimeoutSeconds] = useState(600);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation>({ clusterName: '', quorumOverride: '' });
  const top = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    setAction(draft?.action ?? null);
    setTargets(draft?.nodes ?? []);
    setPlan(null);
    setError(null);
    setConfirmation({ clusterName: '', quorumOverride: '' });
  }, [draft]);
  // A new plan is read from the top: focus its title, not a button at the bottom of a long dialog.
  useEffect(() => top.current?.focus(), [plan, draft]);

  if (!draft || !action || !identity) return null;
  const makePlan = async () => {
    setBusy(true);
    setError(null);
    try {
      const ordered = nodes.map((n) => n.address).filter((a) => targets.includes(a));
      setPlan(
        await call('operations.plan', {
          identityId: identity.id,
          nodes: ordered,
          action,
          workerBatchSize: batch,
          gateTimeoutSeconds: timeout,
        }),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    if (!plan) return;
    setBusy(true);
    setError(null);
    askForNotifications();
    try {
      const op = await call('operations.start', {
        planId: plan.id,
        clusterName: plan.typeClusterName ? confirmation.clusterName : null,
        quorumOverride: plan.refusals.length ? confirmation.quorumOverride : null,
      });
      trackStarted(op);
      close();
      useUi.getState().setView('operations');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      className={identity.colour ? `dialog dialog-wide dialog-marked mark-edge-${identity.colour}` : 'dialog dialog-wide'}
      label={plan ? plan.title : 'Plan an operation'}
      onClose={close}
      initialFocus={top}
    >
      <div className="dialog-identity" data-testid="dialog-identity">
        <span className="muted">As</span> <IdentityMark identity={identity} withName />
      </div>
      <h2 ref={top} tabIndex={-1}>
        {plan ? plan.title : `${VERBS[action.kind]} nodes: plan`}
      </h2>
      {!plan ? (
        <div className="plan-setup">
          <ActionOptions action={action} onChange={setAction} />
          <TargetPicker nodes={nodes} chosen={targets} onChange={setTargets} />
          <div className="toolbar">
            <label className="option">
              Workers per batch{' '}
              <input
                aria-label="Workers per batch"
                type="number"
                min={1}
                max={100}
                value={batch}
                onChange={(e) => setBatch(Number(e.target.value) || 1)}
              />
            </label>
            <label className="option">
              Gate timeout{' '}
              <input
                aria-label="Gate timeout in seconds"
                type="number"
                min={10}
                max={3600}
                value={timeout}
                onChange={(e) => setTimeoutSeconds(Number(e.target.value) || 600)}
              />{' '}
              s
            </label>
          </div>
          <p className="muted">
            Making the plan reads the nodes
            {action.kind === 'apply-config' || action.kind === 'patch-config' ? ' and asks each for a dry run' : ''}; nothing is changed
            yet.
          </p>
        </div>
      ) : (
        <PlanReview plan={plan} confirmation={confirmation} onConfirm={setConfirmation} />
      )}
      {error && (
        <p className="node-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button onClick={close}>Cancel</button>
        {plan ? (
          <>
            <button onClick={() => setPlan(null)} disabled={busy}>
              Change the plan
            </button>
            <button className="danger" onClick={() => void start()} disabled={busy || !confirmed(plan, confirmation)}>
              {busy ? 'Starting…' : `Start: ${plan.title}`}
            </button>
          </>
        ) : (
          <button className="primary" onClick={() => void makePlan()} disabled={busy || targets.length === 0}>
            {busy ? 'Reading the nodes…' : 'Make the plan'}
          </button>
        )}
      </div>
    </Modal>
  );
}
