import { QUORUM_OVERRIDE_PHRASE, type EtcdView, type Plan } from '../../../shared/domain/operation';
import { TeachLine } from '../components/TeachLine';

export interface Confirmation {
  clusterName: string;
  quorumOverride: string;
}

/** Whether the typed confirmations let the plan start (the host checks them again). */
export function confirmed(plan: Plan, c: Confirmation): boolean {
  if (plan.blockers.length) return false;
  if (plan.typeClusterName && c.clusterName.trim() !== plan.cluster) return false;
  if (plan.refusals.length && c.quorumOverride.trim() !== QUORUM_OVERRIDE_PHRASE) return false;
  return true;
}

function EtcdPanel({ etcd }: { etcd: EtcdView }) {
  return (
    <section aria-label="etcd before the roll" className="plan-etcd">
      <h3>etcd before the roll</h3>
      {etcd.error ? (
        <p className="error-text">Membership could not be read: {etcd.error}</p>
      ) : (
        <p>
          {etcd.healthy} of {etcd.voters} voting member(s) healthy; quorum needs {etcd.quorum}, so {etcd.tolerance} may be down at a time.{' '}
          {etcd.hasLeader ? 'The cluster has a leader.' : <strong className="error-text">No leader.</strong>}
        </p>
      )}
      <ul className="plain">
        {etcd.members.map((m) => (
          <li key={m.id}>
            <span className={m.healthy ? 'ok-text' : 'error-text'}>{m.healthy ? '●' : '○'}</span> {m.hostname}{' '}
            <span className="muted mono">{m.node ?? ''}</span> {m.leader && <span className="badge">leader</span>}{' '}
            {m.learner && <span className="badge">learner</span>} <span className="muted">{m.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The health gate after each step, once per role (the steps of one role share it). */
function GatesByRole({ plan }: { plan: Plan }) {
  const groups = new Map<string, { roles: Set<string>; gates: Plan['steps'][number]['gates'] }>();
  for (const s of plan.steps) {
    const key = s.gates.map((g) => g.id).join(',');
    const group = groups.get(key) ?? { roles: new Set<string>(), gates: s.gates };
    group.roles.add(s.role === 'controlplane' ? 'control plane' : s.role);
    groups.set(key, group);
  }
  return (
    <section className="plan-gates" aria-label="Health gates">
      {[...groups.values()].map((g) => (
        <div key={[...g.roles].join()}>
          <h3>Health gate after each {[...g.roles].join(' or ')}</h3>
          <ol className="gates">
            {g.gates.map((gate) => (
              <li key={gate.id}>{gate.label}</li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

/** The node's dry-run answer, its unified diff's added and removed lines marked (not by colour alone: the +/- stay). */
function DryRunText({ text }: { text: string }) {
  const lines = text.split('\n');
  const mark = (l: string) => (/^\+(?!\+\+ )/.test(l) ? 'diff-add' : /^-(?!-- )/.test(l) ? 'diff-del' : undefined);
  return (
    <pre className="mono" data-testid="dry-run-text">
      {lines.map((l, i) => (
        <span key={i} className={mark(l)}>
          {l}
          {i < lines.length - 1 ? '\n' : ''}
        </span>
      ))}
    </pre>
  );
}

/** The plan as the operator confirms it: order, batches, gates, failure policy, talosctl per step, dry runs, quorum. */
export function PlanReview({
  plan,
  confirmation,
  onConfirm,
}: {
  plan: Plan;
  confirmation: Confirmation;
  onConfirm(c: Confirmation): void;
}) {
  return (
    <div className="plan">
      <p>
        <strong>{plan.summary}</strong> on cluster <strong>{plan.cluster}</strong> as <strong>{plan.identityName}</strong>:{' '}
        {plan.steps.length} step(s) in {plan.batches} batch(es); control planes one at a time, workers {plan.workerBatchSize} at a time.
        Each gate waits up to {plan.gateTimeoutSeconds} s.
      </p>
      {plan.blockers.length > 0 && (
        <div className="node-error" role="alert" aria-label="Why this plan cannot run">
          {plan.blockers.map((b) => (
            <p key={b}>{b}</p>
          ))}
        </div>
      )}
      {plan.refusals.length > 0 && (
        <div className="node-error" aria-label="Quorum guard">
          <strong>Quorum guard</strong>
          {plan.refusals.map((r) => (
            <p key={r.node}>
              Refuses {r.node}: {r.reason}.
            </p>
          ))}
        </div>
      )}
      {plan.warnings.map((w) => (
        <p key={w} className="warn-text">
          {w}
        </p>
      ))}
      <table className="grid" aria-label="Plan steps">
        <thead>
          <tr>
            <th className="num">Batch</th>
            <th>Node</th>
            <th>Role</th>
            <th>Step</th>
          </tr>
        </thead>
        <tbody>
          {plan.steps.map((s) => (
            <tr key={s.node} data-node={s.node}>
              <td className="num">{s.batch}</td>
              <td>
                <strong>{s.hostname || s.node}</strong>
                <div className="muted mono">{s.node}</div>
              </td>
              <td>{s.role === 'controlplane' ? 'control plane' : s.role}</td>
              <td className="wide">
                <TeachLine command={s.talosctl} method={s.method} />
                {s.upgradePath && (
                  <div className="muted upgrade-path" data-path={s.upgradePath.kind}>
                    {s.upgradePath.kind === 'current'
                      ? 'Current path: pull the installer (ImageService/Pull), install it (LifecycleService/Upgrade), then reboot'
                      : 'Legacy path: MachineService/Upgrade runs the upgrade sequence'}
                    {` — ${s.upgradePath.why}.`}
                  </div>
                )}
                {s.warnings.map((w) => (
                  <div key={w} className="warn-text">
                    {w}
                  </div>
                ))}
                {s.dryRun !== null && (
                  <details className="dry-run" open={plan.steps.length === 1}>
                    <summary>Dry run on {s.node}</summary>
                    <DryRunText text={s.dryRun} />
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="drain-note" aria-label="Draining">
        {plan.drain}
      </p>
      <p className="muted" aria-label="On failure">
        {plan.onFailure}
      </p>
      <GatesByRole plan={plan} />
      {plan.etcd && <EtcdPanel etcd={plan.etcd} />}
      {plan.typeClusterName && (
        <label className="confirm-field">
          This plan takes control planes down. Type the cluster name <strong className="mono">{plan.cluster}</strong> to confirm:
          <input
            aria-label="Cluster name"
            value={confirmation.clusterName}
            onChange={(e) => onConfirm({ ...confirmation, clusterName: e.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      )}
      {plan.refusals.length > 0 && (
        <label className="confirm-field">
          To run the refused steps anyway, type <strong className="mono">{QUORUM_OVERRIDE_PHRASE}</strong> (recorded in the audit trail):
          <input
            aria-label="Quorum override"
            value={confirmation.quorumOverride}
            onChange={(e) => onConfirm({ ...confirmation, quorumOverride: e.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      )}
    </div>
  );
}
