import { useId, useRef, useState } from 'react';
import type { LabNode } from '../../../shared/domain/lab';
import {
  SCENARIO_CATALOGUE,
  SCENARIO_KINDS,
  defaultScenarioNode,
  scenarioNodes,
  type ScenarioKind,
  type StagedScenarioInfo,
} from '../../../shared/domain/lab-scenarios';
import { Modal } from '../components/Modal';
import { CommandLines } from '../health/CommandLines';
import { ago, exactTime } from '../lib/time';
import { useNow } from '../lib/use-now';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { usePractice } from './practice-store';
import './practice.css';

const nodeName = (n: { hostname: string; ip: string }) => `${n.hostname} (${n.ip})`;

/** One scenario: what it stages, where (the default node or one the trainee picks), and for crashloop which service. */
function ScenarioRow({ kind, nodes }: { kind: ScenarioKind; nodes: LabNode[] }) {
  const id = useId();
  const { title, description, defaultNode } = SCENARIO_CATALOGUE[kind];
  const busy = usePractice((s) => s.busy);
  const stage = usePractice((s) => s.stage);
  const [node, setNode] = useState('');
  const [service, setService] = useState('kubelet');
  const fallback = defaultScenarioNode(kind, nodes);
  const choices = scenarioNodes(kind, nodes);
  const target = nodes.find((n) => n.ip === node) ?? fallback;
  const services = target?.services ?? [];
  return (
    <fieldset className="scenario" aria-labelledby={`${id}-title`}>
      <div className="scenario-text">
        <strong id={`${id}-title`}>{title}</strong> <span className="muted">{description}</span>
      </div>
      {fallback ? (
        <div className="scenario-controls">
          <label htmlFor={`${id}-node`} className="muted">
            Node
          </label>
          <select id={`${id}-node`} value={node} onChange={(e) => setNode(e.target.value)} title={`Default: the ${defaultNode}`}>
            <option value="">Default: {nodeName(fallback)}</option>
            {choices
              .filter((n) => n !== fallback)
              .map((n) => (
                <option key={n.ip} value={n.ip}>
                  {nodeName(n)}
                </option>
              ))}
          </select>
          {kind === 'crashloop' && (
            <>
              <label htmlFor={`${id}-service`} className="muted">
                Service
              </label>
              <select
                id={`${id}-service`}
                value={services.includes(service) ? service : 'kubelet'}
                onChange={(e) => setService(e.target.value)}
              >
                {services.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </>
          )}
          <button
            aria-label={`Stage ${title}`}
            aria-busy={busy === kind}
            onClick={() =>
              void stage({
                kind,
                ...(node ? { node } : {}),
                ...(kind === 'crashloop' ? { service: services.includes(service) ? service : 'kubelet' } : {}),
              })
            }
          >
            {busy === kind ? 'Staging…' : 'Stage'}
          </button>
        </div>
      ) : (
        <p className="muted scenario-controls">
          {kind === 'drift' ? 'Needs two nodes of one role; this practice cluster has none.' : 'Needs a control plane.'}
        </p>
      )}
    </fieldset>
  );
}

function Answer({ s }: { s: StagedScenarioInfo }) {
  return (
    <>
      <p className="staged-summary">What to find: {s.summary}.</p>
      <div className="muted staged-look">Where to look:</div>
      <CommandLines lines={s.evidence} testId="evidence-command" />
    </>
  );
}

/** A staged scenario: what the trainee should find and where to look, as talosctl lines. */
function StagedItem({ s, now, onHealed }: { s: StagedScenarioInfo; now: number; onHealed(): void }) {
  const setSelected = useSession((st) => st.setSelected);
  const setView = useUi((st) => st.setView);
  const hide = usePractice((st) => st.hide);
  const heal = usePractice((st) => st.heal);
  const blind = usePractice((st) => st.blind);
  const title = `${SCENARIO_CATALOGUE[s.kind].title}${s.service ? ` (${s.service})` : ''}`;
  const show = () => {
    setSelected([s.node.ip]);
    setView('overview');
    hide();
  };
  return (
    <li className="staged">
      <div className="staged-head">
        <div>
          <strong>{title}</strong> on {nodeName(s.node)}
          <div className="muted staged-since" title={exactTime(s.since)}>
            staged {ago(s.since, now)}
          </div>
        </div>
        <div className="staged-actions">
          <button className="link" onClick={show} title={`Select ${s.node.hostname} and open the Overview`}>
            Show on Overview
          </button>
          <button className="link" onClick={() => void heal(s).then(onHealed)} aria-label={`Heal ${title} on ${s.node.hostname}`}>
            Heal
          </button>
        </div>
      </div>
      {blind ? (
        <details className="staged-answer">
          <summary>Reveal what to find and where to look</summary>
          <Answer s={s} />
        </details>
      ) : (
        <Answer s={s} />
      )}
    </li>
  );
}

/** The practice cluster menu: stage a condition on the in-process practice cluster, see what is staged, heal it all. */
export function PracticeDialog() {
  const open = usePractice((s) => s.open);
  const hide = usePractice((s) => s.hide);
  const running = useSession((s) => s.lab?.running ?? false);
  if (!open) return null;
  return (
    <Modal label="Practice scenarios" className={`dialog practice-dialog${running ? '' : ' practice-dialog-stopped'}`} onClose={hide}>
      <PracticeBody />
    </Modal>
  );
}

function PracticeBody() {
  const lab = useSession((s) => s.lab);
  const { staged, busy, error, hide, start, healAll, blind, setBlind } = usePractice();
  const now = useNow();
  // A healed item's button goes, and Heal all disables itself: the focus moves to the list, so it stays in the dialog (and Escape still closes it).
  const stagedRef = useRef<HTMLElement>(null);
  const focusList = () => stagedRef.current?.focus();
  const running = lab?.running ?? false;
  return (
    <>
      <div className="practice-head">
        <h2>Practice scenarios</h2>
        <p className="muted">
          {running
            ? `Stage a condition on the practice cluster "${lab!.cluster}" (${lab!.endpoint}), then diagnose it from the Overview, Services, Logs and Timeline as on a real node. Scenarios only ever touch this in-process practice cluster, never a real one.`
            : 'Scenarios are staged on the practice cluster, a simulated Talos cluster on this machine served over real mTLS. They never touch a real cluster.'}
        </p>
      </div>
      {error && (
        <p className="error-text practice-error" role="alert">
          {error}
        </p>
      )}
      {running ? (
        <div className="practice-body">
          <section className="practice-scenarios" aria-label="Scenarios" tabIndex={0}>
            {SCENARIO_KINDS.map((kind) => (
              <ScenarioRow key={kind} kind={kind} nodes={lab!.nodes} />
            ))}
          </section>
          <section className="practice-staged" aria-labelledby="practice-staged-title" tabIndex={0} ref={stagedRef}>
            <div className="staged-title">
              <h3 id="practice-staged-title">Staged now{staged.length ? ` (${staged.length})` : ''}</h3>
              <span className="spacer" />
              <label className="blind-toggle" title="Keep what to find and where to look folded until you reveal it">
                <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} /> Hide the answers
              </label>
              <button className="danger" disabled={!staged.length} onClick={() => void healAll().then(focusList)}>
                {busy === 'heal' ? 'Healing…' : 'Heal all'}
              </button>
            </div>
            {staged.length ? (
              <ul aria-label="Staged scenarios">
                {staged.map((s, i) => (
                  <StagedItem key={`${s.kind}-${s.node.ip}-${s.service ?? ''}-${i}`} s={s} now={now} onHealed={focusList} />
                ))}
              </ul>
            ) : (
              <p className="muted staged-empty">
                Nothing staged: the practice cluster is healthy. Stage a scenario, then find it on the Overview (health and findings).
              </p>
            )}
            {staged.length > 0 && (
              <p className="muted">
                Healing ends each condition; what it already wrote (events, log lines) stays in the history, as on a real node.
              </p>
            )}
          </section>
        </div>
      ) : (
        <div className="practice-stopped">
          <p>The practice cluster is not running.</p>
          <button className="primary" disabled={busy === 'start'} onClick={() => void start()}>
            {busy === 'start' ? 'Starting…' : 'Start the practice cluster'}
          </button>
        </div>
      )}
      <div className="actions">
        <button onClick={hide}>Close</button>
      </div>
    </>
  );
}
