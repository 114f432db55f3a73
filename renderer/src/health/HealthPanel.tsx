import { useMemo, useState } from 'react';
import type { Finding, HealthCheck, Verdict } from '../../../shared/domain/health';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { DataTable, type Column } from '../components/DataTable';
import { Drawer } from '../components/Drawer';
import { LoadingState } from '../components/States';
import { Ago } from '../components/Values';
import { plural } from '../lib/format';
import { useHealth, useHealthFor } from './health-store';
import { FindingDetail } from './FindingDetail';
import { VERDICT_HELP } from './verdict-help';

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span className={`badge verdict-${verdict}`} title={VERDICT_HELP[verdict]}>
      {verdict}
    </span>
  );
}

const checkColumns: Column<HealthCheck>[] = [
  {
    key: 'verdict',
    label: 'Verdict',
    value: (c) => ['fail', 'unknown', 'warn', 'pass'].indexOf(c.verdict),
    render: (c) => <VerdictBadge verdict={c.verdict} />,
  },
  { key: 'check', label: 'Check', value: (c) => c.title },
  { key: 'node', label: 'Node', value: (c) => c.node ?? 'cluster' },
  {
    key: 'summary',
    label: 'Why',
    value: (c) => c.summary,
    wide: true,
    render: (c) => <span title={c.evidence.join('\n')}>{c.summary}</span>,
  },
  { key: 'checked', label: 'Checked', value: (c) => c.checkedAt, render: (c) => <Ago at={c.checkedAt} />, align: 'right' },
  { key: 'talosctl', label: 'talosctl', value: (c) => c.talosctl, wide: true, render: (c) => <code className="muted">{c.talosctl}</code> },
];

/** The first thing the Overview shows: the cluster's verdict, what is wrong (findings) and every check behind it. */
export function HealthPanel({ identity, nodes }: { identity: IdentitySummary; nodes: string[] }) {
  const { report, error, loading } = useHealthFor(identity.id, nodes);
  const [open, setOpen] = useState<string | null>(null);
  const [showPassing, setShowPassing] = useState(false);
  const checks = useMemo(() => (report ? report.checks.filter((c) => showPassing || c.verdict !== 'pass') : []), [report, showPassing]);
  if (!report)
    return error ? <p className="error-text">Health: {error}</p> : <LoadingState what="cluster health (every node's evidence)" />;
  const finding = report.findings.find((f) => f.id === open) ?? null;
  const counts = (['fail', 'unknown', 'warn', 'pass'] as const).map(
    (v) => [v, report.checks.filter((c) => c.verdict === v).length] as const,
  );
  const problems = report.findings.length;
  return (
    <section className="health-panel" aria-label="Cluster health">
      <div className={`health-banner verdict-${report.verdict}`} role="status" aria-label="Cluster verdict">
        <VerdictBadge verdict={report.verdict} />
        <strong>
          {problems
            ? `${plural(problems, 'problem')} on ${plural(new Set(report.findings.map((f) => f.node ?? 'cluster')).size, 'node')}`
            : report.verdict === 'pass'
              ? `All ${report.checks.length} checks pass on ${plural(report.nodes.length, 'node')}`
              : 'No problem found, but not every check could be read'}
        </strong>
        <span className="muted">
          {counts
            .filter(([, n]) => n)
            .map(([v, n]) => `${n} ${v}`)
            .join(' · ')}{' '}
          · checked <Ago at={report.checkedAt} />
          {loading ? ' · refreshing…' : ''}
        </span>
        <span className="spacer" />
        <button className="link" onClick={() => void useHealth.getState().refresh(identity.id, nodes)}>
          Check now
        </button>
      </div>
      {problems > 0 && (
        <ul className="findings" aria-label="Findings">
          {report.findings.map((f: Finding) => (
            <li key={f.id}>
              <button className={open === f.id ? 'finding active' : 'finding'} onClick={() => setOpen(open === f.id ? null : f.id)}>
                <span className={`badge severity-${f.severity}`}>{f.severity}</span>
                <span className="finding-title">{f.title}</span>
                <span className="muted">
                  {f.since ? (
                    <>
                      since <Ago at={f.since} />
                    </>
                  ) : (
                    'start unknown'
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {finding && (
        <Drawer title={finding.title} onClose={() => setOpen(null)}>
          <FindingDetail finding={finding} identity={identity} />
        </Drawer>
      )}
      <details className="health-checks">
        <summary>
          Every check ({report.checks.length}) with its evidence and talosctl line. Verdicts: pass, warn, fail, and unknown (could not be
          read, never counted as a pass); hover a verdict for its meaning.
        </summary>
        <label>
          <input type="checkbox" checked={showPassing} onChange={(e) => setShowPassing(e.target.checked)} /> Show passing checks
        </label>
        <DataTable
          label="Health checks"
          primaryFilter={false}
          rows={checks}
          columns={checkColumns}
          rowKey={(c) => `${c.id}@${c.node ?? ''}`}
          noun={['check', 'checks']}
          empty="Every check passes; tick “Show passing checks” to see them with their evidence."
        />
      </details>
    </section>
  );
}
