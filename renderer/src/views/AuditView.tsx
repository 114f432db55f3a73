import { Fragment, useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditFilter, AuditVerification } from '../../../shared/domain/audit';
import { call, errorText } from '../api/call';
import { FilterBox } from '../components/FilterBox';
import { downloadText } from '../lib/download';
import { useUi } from '../stores/ui-store';

const emptyFilter: AuditFilter = { from: null, to: null, node: null, identity: null, method: null, outcome: null };
const toIso = (local: string) => (local ? new Date(local).toISOString() : null);

function outcomeOf(entry: AuditEntry): 'ok' | 'failed' | 'partial' {
  const ok = entry.outcomes.filter((o) => o.ok).length;
  return ok === entry.outcomes.length ? 'ok' : ok === 0 ? 'failed' : 'partial';
}

function VerificationBadge({ v }: { v: AuditVerification | null }) {
  if (!v) return null;
  const text =
    v.state === 'broken' && v.firstBroken
      ? `Chain broken at entry ${v.firstBroken.seq ?? '?'} (line ${v.firstBroken.line}): ${v.firstBroken.reason}`
      : v.state === 'empty'
        ? 'No entries yet'
        : `Chain intact: ${v.count} entries`;
  const seal = {
    valid: 'seal valid',
    invalid: 'seal does not match',
    unavailable: 'seal not checked (vault locked)',
    missing: 'not sealed (set up the vault to seal the log)',
  }[v.seal];
  return (
    <div className={v.state === 'broken' || v.seal === 'invalid' ? 'node-error' : 'card'} role="status" aria-label="Audit verification">
      <strong>{text}</strong> · {seal}
      {v.repaired && <div className="warn-text">{v.repaired}</div>}
    </div>
  );
}

export function AuditView() {
  const [filter, setFilter] = useState(emptyFilter);
  const [local, setLocal] = useState({ from: '', to: '' });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const notify = useUi((s) => s.notify);

  const load = useCallback(async () => {
    try {
      const [list, v] = await Promise.all([call('audit.list', filter), call('audit.verify', {})]);
      setEntries(list);
      setVerification(v);
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
      <VerificationBadge v={verification} />
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
          {entries.map((e) => (
            <Fragment key={e.seq}>
              <tr data-audit-seq={e.seq}>
                <td>
                  <button className="link" aria-expanded={open === e.seq} onClick={() => setOpen(open === e.seq ? null : e.seq)}>
                    {e.seq}
                  </button>
                </td>
                <td className="mono">{e.time.replace('T', ' ').replace('Z', '')}</td>
                <td>{e.identity.name}</td>
                <td>{e.nodes.join(', ')}</td>
                <td className="mono">{e.method}</td>
                <td className={outcomeOf(e) === 'ok' ? 'ok-text' : 'error-text'}>{outcomeOf(e)}</td>
                <td className="mono">{e.talosctl}</td>
              </tr>
              {open === e.seq && (
                <tr className="expanded">
                  <td colSpan={7}>
                    <dl className="kv">
                      <dt>OS user</dt>
                      <dd>{e.osUser}</dd>
                      <dt>Roles</dt>
                      <dd>{e.identity.roles.join(', ')}</dd>
                      <dt>Certificate</dt>
                      <dd className="mono">{e.identity.fingerprint}</dd>
                      <dt>Arguments</dt>
                      <dd className="mono">{JSON.stringify(e.args)}</dd>
                      <dt>Per node</dt>
                      <dd>
                        {e.outcomes.map((o) => (
                          <div key={o.node}>
                            {o.node}: {o.ok ? 'ok' : `${o.code}: ${o.message}`} {o.actorId ? `(actor ${o.actorId})` : ''}
                          </div>
                        ))}
                      </dd>
                      <dt>Chain</dt>
                      <dd className="mono">
                        prev {e.prev.slice(0, 16)}… hash {e.hash.slice(0, 16)}…
                      </dd>
                    </dl>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p className="muted">No recorded actions match.</p>}
    </div>
  );
}
