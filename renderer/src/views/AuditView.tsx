import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import { groupOperations, type OperationStatus } from '../../../shared/audit-operations';
import type { AuditEntry, AuditFilter, AuditProblem, AuditVerification } from '../../../shared/domain/audit';
import { call, errorText } from '../api/call';
import { FilterBox } from '../components/FilterBox';
import { SiemPanel } from '../evidence/SiemPanel';
import { downloadText } from '../lib/download';
import { useAudit } from '../stores/audit-store';
import { useUi } from '../stores/ui-store';

const emptyFilter: AuditFilter = { from: null, to: null, node: null, identity: null, method: null, outcome: null };
const toIso = (local: string) => (local ? new Date(local).toISOString() : null);

const STATUS_TEXT: Record<OperationStatus, string> = {
  ok: 'ok',
  failed: 'failed',
  partial: 'partial',
  started: 'started, no outcome recorded',
  break: 'trail break recorded',
};

const SEAL_TEXT: Record<AuditVerification['seal'], string> = {
  valid: 'seal valid',
  invalid: 'seal does not match',
  unavailable: 'seal not checked (vault locked)',
  missing: 'seal missing',
};

const where = (p: AuditProblem) => `${p.file} line ${p.line}${p.seq !== null ? ` (entry ${p.seq})` : ''}`;

function VerificationPanel({ v }: { v: AuditVerification | null }) {
  if (!v) return null;
  const current = v.segments.at(-1);
  if (v.state !== 'broken')
    return (
      <div className="card" role="status" aria-label="Audit verification">
        <strong>{v.state === 'empty' ? 'No entries yet' : `Chain intact: ${v.count} entries`}</strong> · {SEAL_TEXT[v.seal]}
        {v.repaired && <div className="warn-text">{v.repaired}</div>}
      </div>
    );
  return (
    <div className="node-error" role="status" aria-label="Audit verification">
      <strong>Audit trail broken{v.firstBroken ? ` at ${where(v.firstBroken)}: ${v.firstBroken.reason}` : ''}</strong> · {SEAL_TEXT[v.seal]}
      {v.breaks.map((b) => (
        <div key={`${b.segment}-${b.detectedAt}`}>
          Break found {b.detectedAt.replace('T', ' ').replace('Z', ' UTC')} in segment {b.segment}; it is kept as found and new entries
          continue in the next segment.
        </div>
      ))}
      {current && (
        <div>
          Current segment {current.file}: {current.state}, {current.entries} entries.
        </div>
      )}
      {v.problems.length > 1 && (
        <details>
          <summary>All {v.problems.length + v.problemsOmitted} problems found</summary>
          <ul aria-label="Audit problems">
            {v.problems.map((p) => (
              <li key={`${p.segment}-${p.line}-${p.reason}`}>
                {where(p)}: {p.reason}
              </li>
            ))}
            {v.problemsOmitted > 0 && <li>… and {v.problemsOmitted} more</li>}
          </ul>
        </details>
      )}
      {v.repaired && <div className="warn-text">{v.repaired}</div>}
    </div>
  );
}

function EntryDetail({ e }: { e: AuditEntry }) {
  return (
    <dl className="kv">
      <dt>Entry</dt>
      <dd>
        #{e.seq} · {e.kind ?? 'record'}
        {e.step ? ` · step ${e.step}` : ''} · {e.time.replace('T', ' ').replace('Z', ' UTC')}
      </dd>
      {e.break && (
        <>
          <dt>Break</dt>
          <dd>
            {e.break.file}: {e.break.entries} readable entries, the seal said{' '}
            {e.break.sealed ? `${e.break.sealed.count} entries` : 'nothing (no authentic seal)'}
            {e.break.firstProblem ? `; first problem at line ${e.break.firstProblem.line}: ${e.break.firstProblem.reason}` : ''}
          </dd>
        </>
      )}
      {e.outcomes.length > 0 && (
        <>
          <dt>Per node</dt>
          <dd>
            {e.outcomes.map((o) => (
              <div key={o.node}>
                {o.node}: {o.ok ? 'ok' : `${o.code}: ${o.message}`} {o.actorId ? `(actor ${o.actorId})` : ''}
              </div>
            ))}
          </dd>
        </>
      )}
      <dt>Chain</dt>
      <dd className="mono">
        prev {e.prev.slice(0, 16)}… hash {e.hash.slice(0, 16)}…
      </dd>
    </dl>
  );
}

export function AuditView() {
  const [filter, setFilter] = useState(emptyFilter);
  const [local, setLocal] = useState({ from: '', to: '' });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const verification = useAudit((s) => s.verification);
  const [open, setOpen] = useState<string | null>(null);
  const notify = useUi((s) => s.notify);
  const operations = useMemo(() => groupOperations([...entries].reverse()).reverse(), [entries]);

  const load = useCallback(async () => {
    try {
      const [list] = await Promise.all([call('audit.list', filter), useAudit.getState().refresh()]);
      setEntries(list);
    } catch (e) {
      notify('error', errorText(e));
    }
  }, [filter, notify]);

  useEffect(() => {
    void load();
  }, [load]);

  const exportAs = async (format: 'jsonl' | 'csv') => {
    try {
      const file = await call('audit.export', { filter, format });
      downloadText(file.filename, file.content, format === 'csv' ? 'text/csv' : 'application/jsonl');
    } catch (e) {
      notify('error', errorText(e));
    }
  };

  const text = (key: 'node' | 'identity' | 'method') => (
    <FilterBox
      label={`Filter by ${key}`}
      placeholder={key === 'node' ? 'node (/)' : key}
      primary={key === 'node'}
      value={filter[key] ?? ''}
      onChange={(value) => setFilter((f) => ({ ...f, [key]: value || null }))}
    />
  );

  return (
    <div>
      <VerificationPanel v={verification} />
      <SiemPanel />
      <div className="toolbar">
        <label>
          From{' '}
          <input
            type="datetime-local"
            aria-label="From"
            value={local.from}
            onChange={(e) => (setLocal({ ...local, from: e.target.value }), setFilter({ ...filter, from: toIso(e.target.value) }))}
          />
        </label>
        <label>
          To{' '}
          <input
            type="datetime-local"
            aria-label="To"
            value={local.to}
            onChange={(e) => (setLocal({ ...local, to: e.target.value }), setFilter({ ...filter, to: toIso(e.target.value) }))}
          />
        </label>
        {text('node')}
        {text('identity')}
        {text('method')}
        <select
          aria-label="Outcome"
          value={filter.outcome ?? ''}
          onChange={(e) => setFilter({ ...filter, outcome: (e.target.value || null) as AuditFilter['outcome'] })}
        >
          <option value="">Any outcome</option>
          <option value="ok">ok</option>
          <option value="failed">failed</option>
          <option value="partial">partial</option>
          <option value="started">started, no outcome</option>
        </select>
        <button onClick={() => void load()}>Refresh</button>
        <button onClick={() => void exportAs('jsonl')}>Export JSON lines</button>
        <button onClick={() => void exportAs('csv')}>Export CSV</button>
      </div>
      <table className="grid" aria-label="Audit entries">
        <thead>
          <tr>
            <th>#</th>
            <th>Time (UTC)</th>
            <th>Identity</th>
            <th>Nodes</th>
            <th>Method</th>
            <th>Outcome</th>
            <th>talosctl</th>
          </tr>
        </thead>
        <tbody>
          {operations.map((op) => (
            <Fragment key={op.id}>
              <tr data-audit-seq={op.first.seq}>
                <td>
                  <button className="link" aria-expanded={open === op.id} onClick={() => setOpen(open === op.id ? null : op.id)}>
                    {op.first.seq}
                  </button>
                </td>
                <td className="mono">{op.first.time.replace('T', ' ').replace('Z', '')}</td>
                <td>{op.first.identity.name}</td>
                <td>{op.first.nodes.join(', ')}</td>
                <td className="mono">{op.first.method}</td>
                <td className={op.status === 'ok' ? 'ok-text' : op.status === 'started' ? 'warn-text' : 'error-text'}>
                  {STATUS_TEXT[op.status]}
                </td>
                <td className="mono">{op.first.talosctl}</td>
              </tr>
              {open === op.id && (
                <tr className="expanded">
                  <td colSpan={7}>
                    <dl className="kv">
                      <dt>OS user</dt>
                      <dd>{op.first.osUser}</dd>
                      <dt>Roles</dt>
                      <dd>{op.first.identity.roles.join(', ')}</dd>
                      <dt>Certificate</dt>
                      <dd className="mono">{op.first.identity.fingerprint}</dd>
                      <dt>Arguments</dt>
                      <dd className="mono">{JSON.stringify(op.first.args)}</dd>
                    </dl>
                    {op.entries.map((e) => (
                      <EntryDetail key={e.hash} e={e} />
                    ))}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {operations.length === 0 && <p className="muted">No recorded actions match.</p>}
    </div>
  );
}
