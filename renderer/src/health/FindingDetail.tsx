import type { Finding } from '../../../shared/domain/health';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { Ago } from '../components/Values';
import { Visible } from '../components/Visible';
import { actionBlock, serviceBlock } from '../lib/action-gate';
import { useOperations } from '../operations/operation-store';
import { useUi } from '../stores/ui-store';
import { CommandLines } from './CommandLines';
import { openLogsAt } from './open-logs-at';

const PLAN_METHOD: Record<string, string> = {
  reboot: '/machine.MachineService/Reboot',
  'apply-config': '/machine.MachineService/ApplyConfiguration',
};

function planBlock(identity: IdentitySummary, f: Finding): string | null {
  const action = f.fix.plan?.action;
  if (!action) return null;
  if (action.kind === 'service') return serviceBlock(identity, action.service, action.action);
  return actionBlock(identity, PLAN_METHOD[action.kind] ?? `/machine.MachineService/${action.kind}`);
}

/** A finding in full: what is wrong and since when, the evidence (each with a way to its log or events), and the fix. */
export function FindingDetail({ finding: f, identity }: { finding: Finding; identity: IdentitySummary }) {
  const block = planBlock(identity, f);
  return (
    <div className="finding-detail">
      <p>
        <span className={`badge severity-${f.severity}`}>{f.severity}</span>{' '}
        {f.since ? (
          <>
            since <Ago at={f.since} /> ({new Date(f.since).toLocaleTimeString()})
          </>
        ) : (
          <span className="muted" title="The evidence carries no start time (a value read now, not a logged moment).">
            start unknown
          </span>
        )}
      </p>
      <p>{f.detail}</p>
      <h4>Evidence</h4>
      <ul className="evidence-list">
        {f.evidence.map((e, i) => (
          <li key={i}>
            <div className="evidence-head">
              <strong>{e.label}</strong> <span className="muted">{e.node}</span>{' '}
              {e.at ? <span className="muted">{new Date(e.at).toLocaleTimeString()}</span> : null}
              {(e.source.kind === 'service' || e.source.kind === 'kernel') && (
                <button className="link" onClick={() => void openLogsAt(identity, e.node, e.source.id, e.text)}>
                  Logs at this moment
                </button>
              )}
              {e.source.kind === 'events' && (
                <button className="link" onClick={() => useUi.getState().setView('timeline')}>
                  Timeline
                </button>
              )}
            </div>
            <code className="evidence-text">
              <Visible text={e.text} />
            </code>
          </li>
        ))}
      </ul>
      <h4>Fix</h4>
      <p>{f.fix.text}</p>
      <CommandLines lines={f.fix.talosctl} />
      {f.fix.plan && (
        <p>
          <button
            disabled={!!block}
            title={block ?? 'Opens the plan: targets, order, gates and talosctl per step; nothing runs until you confirm it.'}
            onClick={() => f.fix.plan && useOperations.getState().openPlan({ action: f.fix.plan.action, nodes: f.fix.plan.nodes })}
          >
            {f.fix.plan.label}…
          </button>
          {block && <span className="muted"> {block}</span>}
        </p>
      )}
    </div>
  );
}
