import type { Operation, StepProgress } from '../../../shared/domain/operation';
import { useEffect, useState } from 'react';
import { useOperations } from './operation-store';

const STAGES: Record<StepProgress['stage'], string> = {
  waiting: 'waiting',
  preflight: 'checking before',
  sent: 'sent',
  sequence: 'in Talos sequence',
  rebooting: 'rebooting',
  booting: 'booting',
  checking: 'checking',
  done: 'done',
  failed: 'failed',
  untouched: 'not touched',
};

const STATES: Record<Operation['state'], string> = {
  running: 'running',
  paused: 'paused',
  succeeded: 'succeeded',
  failed: 'stopped',
  cancelled: 'cancelled',
};

/** "42s", "3m 05s", "1h 02m". */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function Elapsed({ step }: { step: StepProgress }) {
  const [now, setNow] = useState(() => Date.now());
  const live = step.startedAt !== null && step.endedAt === null;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  if (!step.startedAt) return null;
  const end = step.endedAt ? Date.parse(step.endedAt) : now;
  return <span className="mono">{elapsed(end - Date.parse(step.startedAt))}</span>;
}

const clockTime = (at: number) => new Date(at).toLocaleTimeString('en-GB', { hour12: false });

/**
 * Try mode: a live countdown to the moment the node goes back to its previous config, and what stops it. Talos
 * keeps no record the renderer could read of a pending revert, so the time is the one the step was answered at
 * plus the timeout.
 */
export function TryCountdown({ revertsAt }: { revertsAt: string }) {
  const at = Date.parse(revertsAt);
  const [now, setNow] = useState(() => Date.now());
  const live = now < at;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return live ? (
    <div className="try-countdown" role="timer" aria-label="Try mode countdown" data-live="true">
      Try: <strong className="mono">{elapsed(at - now)}</strong> left — reverts to the previous config at {clockTime(at)} unless you apply
      it again without try
    </div>
  ) : (
    <div className="try-countdown" role="status" aria-label="Try mode countdown" data-live="false">
      Try ended at {clockTime(at)}: the node went back to its previous config (unless it was applied again without try)
    </div>
  );
}

function Gates({ step }: { step: StepProgress }) {
  return (
    <ul className="gate-list">
      {step.gates.map((g) => (
        <li key={g.id} className={`gate gate-${g.status}`} title={g.detail || g.label} data-gate={g.id} data-status={g.status}>
          <span aria-hidden>{g.status === 'passed' ? '✓' : g.status === 'failed' ? '✗' : g.status === 'checking' ? '…' : '·'}</span>{' '}
          {g.label}
          {g.detail && (g.status === 'checking' || g.status === 'failed') && <div className="muted gate-detail">{g.detail}</div>}
        </li>
      ))}
    </ul>
  );
}

/** One operation as it runs on the host: per node its stage, what Talos reports, elapsed time and each gate. */
export function OperationProgress({ operation: op, onFollowLogs }: { operation: Operation; onFollowLogs(node: string): void }) {
  const control = useOperations((s) => s.control);
  const done = op.steps.filter((s) => s.stage === 'done').length;
  const running = !op.endedAt;
  return (
    <section className="operation" aria-label={`Operation ${op.title}`} data-state={op.state}>
      <header className="toolbar">
        <h2>{op.title}</h2>
        <span className={`badge op-${op.state}`} data-testid="operation-state">
          {op.requested ? `${op.requested} requested` : STATES[op.state]}
        </span>
        <span className="muted">
          {done} of {op.steps.length} done · {op.cluster} · {op.identityName}
          {op.quorumOverride ? ' · quorum guard overridden' : ''}
        </span>
        <span className="spacer" />
        {running && op.state === 'running' && (
          <button
            onClick={() => void control(op.id, 'pause')}
            disabled={op.requested !== null}
            title="Stop before the next step; the step in flight finishes"
          >
            Pause
          </button>
        )}
        {running && op.state === 'paused' && <button onClick={() => void control(op.id, 'resume')}>Resume</button>}
        {running && (
          <button
            className="danger"
            onClick={() => void control(op.id, 'cancel')}
            disabled={op.requested === 'cancel'}
            title="No further node is touched; a step already sent is not interrupted"
          >
            Cancel
          </button>
        )}
      </header>
      {op.reason && (
        <p
          className={op.state === 'failed' ? 'node-error' : 'reason'}
          role={op.state === 'failed' ? 'alert' : 'status'}
          aria-label="Why it stopped"
        >
          {op.reason}
        </p>
      )}
      <table className="grid" aria-label="Progress">
        <thead>
          <tr>
            <th>Batch</th>
            <th>Node</th>
            <th>Stage</th>
            <th>Talos reports</th>
            <th className="num">Elapsed</th>
            <th>Gates</th>
          </tr>
        </thead>
        <tbody>
          {op.steps.map((s) => (
            <tr key={s.node} data-node={s.node} data-stage={s.stage}>
              <td className="num">{s.batch}</td>
              <td>
                <strong className="node-name">{s.hostname || s.node}</strong>
                <div className="muted mono">
                  {s.node} · {s.role === 'controlplane' ? 'control plane' : s.role}
                </div>
                {s.stage !== 'waiting' && s.stage !== 'untouched' && (
                  <button className="link" onClick={() => onFollowLogs(s.node)} aria-label={`Follow the logs of ${s.node}`}>
                    Follow logs
                  </button>
                )}
              </td>
              <td>
                <span className={`badge stage-${s.stage}`}>{STAGES[s.stage]}</span>
              </td>
              <td className="report-cell">
                <div className="step-detail">{s.detail}</div>
                {s.reports.length > 1 && (
                  <details className="report-trail">
                    <summary>Talos reported {s.reports.length} events</summary>
                    <ol className="mono" aria-label={`What ${s.node} reported`}>
                      {s.reports.map((r, i) => (
                        <li key={i}>{r}</li>
                      ))}
                    </ol>
                  </details>
                )}
                {s.failure && !s.gates.some((g) => g.status === 'failed') && (
                  <div className="error-text">
                    <strong>{s.failure.check}</strong>: {s.failure.message}
                  </div>
                )}
                {s.revertsAt && <TryCountdown revertsAt={s.revertsAt} />}
                {s.actorId && <div className="muted mono">actor {s.actorId}</div>}
              </td>
              <td className="num">
                <Elapsed step={s} />
              </td>
              <td className="gates-cell">
                <Gates step={s} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
