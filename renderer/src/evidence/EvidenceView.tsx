import { useEffect, useState } from 'react';
import { FilterBox } from '../components/FilterBox';
import type { StoredPack } from '../../../shared/domain/evidence';
import { call, errorText } from '../api/call';
import { downloadBytes, downloadText } from '../lib/download';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useEvidence } from './evidence-store';

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const grouped = (hex: string) => hex.match(/.{1,4}/g)!.join(' ');
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

function Progress() {
  const running = useEvidence((s) => s.running);
  if (!running) return null;
  const p = running.progress;
  const value = p && p.total ? Math.round((p.done / p.total) * 100) : 0;
  return (
    <div className="card" role="status" aria-label="Evidence progress">
      <progress max={100} value={value} aria-label="Collecting evidence" /> {p ? `${p.step} (${value} %)` : 'Starting…'}
    </div>
  );
}

function PackRow({ pack, onVerify }: { pack: StoredPack; onVerify: (pack: StoredPack) => void }) {
  const save = async () => {
    const saved = await call('evidence.save', { folder: pack.folder });
    if (saved.base64)
      downloadBytes(
        saved.filename,
        Uint8Array.from(atob(saved.base64), (c) => c.charCodeAt(0)),
      );
  };
  return (
    <tr>
      <td>{when(pack.collectedAt)}</td>
      <td>{pack.cluster}</td>
      <td>{pack.collector}</td>
      <td className="num">{pack.nodes}</td>
      <td>
        <span className="ok-text">{pack.controls.pass} pass</span> ·{' '}
        <span className={pack.controls.fail ? 'error-text' : ''}>{pack.controls.fail} fail</span> ·{' '}
        <span className={pack.controls.unknown ? 'warn-text' : ''}>{pack.controls.unknown} unknown</span>
      </td>
      <td className="num">{pack.unavailable}</td>
      <td className="num">{kib(pack.zipBytes)}</td>
      <td className="pack-actions">
        <button onClick={() => void save()}>Download .zip</button> <button onClick={() => onVerify(pack)}>Verify</button>
      </td>
    </tr>
  );
}

/** A pack matches a filter by any of its text fields (cluster, identity, folder, collection time). */
function matchesPack(pack: object, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return !needle || JSON.stringify(pack).toLowerCase().includes(needle);
}

/** Compliance evidence packs: generate one for the cluster, keep, verify, download and compare them. */
export function EvidenceView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.nodes);
  const { status, running, last, error, comparison, refresh, generate, compare } = useEvidence();
  const [packFilter, setPackFilter] = useState('');
  const [from, setFrom] = useState('');
  const [verification, setVerification] = useState<string | null>(null);
  const [before, setBefore] = useState('');
  const [after, setAfter] = useState('');

  useEffect(() => void refresh(), [refresh]);
  const packs = status?.packs ?? [];

  const verify = async (pack: StoredPack) => {
    try {
      const v = await call('evidence.verify', { folder: pack.folder });
      setVerification(
        v.ok
          ? `${pack.folder}: verified (signature valid, ${v.checked} files match the manifest).`
          : `${pack.folder}: NOT verified: ${v.problems.join('; ')}`,
      );
    } catch (e) {
      setVerification(errorText(e));
    }
  };

  return (
    <div>
      <section className="card evidence-key" aria-label="Signing key">
        <strong>Pack signing key</strong>{' '}
        {status?.signingKeyFingerprint ? (
          <>
            SHA-256 <code aria-label="Signing key fingerprint">{grouped(status.signingKeyFingerprint)}</code> — register it once with your
            auditor; every pack's VERIFY.md shows how to check it.
          </>
        ) : (
          <span className="muted">generated with the first pack and kept in the vault.</span>
        )}
        <div className="muted">PDF: {status?.pdfPrinter ?? 'no printer on this host (report.html only)'}</div>
      </section>
      <div className="toolbar">
        <label>
          Change history from{' '}
          <input type="datetime-local" aria-label="Change history from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <button
          className="primary"
          disabled={!identity || nodes.length === 0 || Boolean(running)}
          title={!identity ? 'Pick an identity first' : undefined}
          onClick={() => void generate(from ? new Date(from).toISOString() : null)}
        >
          Generate evidence pack{identity ? ` for ${identity.cluster} (${nodes.length} nodes)` : ''}
        </button>
      </div>
      <p className="muted">
        Collected as {identity?.name ?? '—'} ({identity?.roles.join(', ') || 'no roles'}). Without os:admin the machine configs cannot be
        read; the pack lists what it could not collect and why.
      </p>
      <Progress />
      {error && <p className="error-text">{error}</p>}
      {last && !running && (
        <p role="status" aria-label="Last pack" className="ok-text">
          Pack written: {last.folder} ({last.controls.pass} pass, {last.controls.fail} fail, {last.controls.unknown} unknown;{' '}
          {last.unavailable} items not collected) in {last.path}
        </p>
      )}
      {verification && (
        <p role="status" aria-label="Pack verification">
          {verification}
        </p>
      )}
      <h3>Packs</h3>
      <div className="toolbar">
        <FilterBox label="Filter packs" value={packFilter} onChange={setPackFilter} placeholder="Filter by cluster, identity or date (/)" />
      </div>
      {packs.length === 0 ? (
        <p className="muted">No packs yet.</p>
      ) : (
        <table className="grid" aria-label="Evidence packs">
          <thead>
            <tr>
              <th>Collected</th>
              <th>Cluster</th>
              <th>Identity</th>
              <th className="num">Nodes</th>
              <th>Controls</th>
              <th className="num">Not collected</th>
              <th className="num">Size</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {packs
              .filter((p) => matchesPack(p, packFilter))
              .map((p) => (
                <PackRow key={p.folder} pack={p} onVerify={(x) => void verify(x)} />
              ))}
          </tbody>
        </table>
      )}
      <h3>Compare two packs</h3>
      <div className="toolbar">
        {(['Before', 'After'] as const).map((label) => (
          <label key={label}>
            {label}{' '}
            <select
              aria-label={`${label} pack`}
              value={label === 'Before' ? before : after}
              onChange={(e) => (label === 'Before' ? setBefore : setAfter)(e.target.value)}
            >
              <option value="">choose…</option>
              {packs.map((p) => (
                <option key={p.folder} value={p.folder}>
                  {p.cluster} · {when(p.collectedAt)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button disabled={!before || !after || before === after} onClick={() => void compare(before, after)}>
          Compare
        </button>
        {comparison && (
          <button
            onClick={() =>
              downloadText(
                `evidence-comparison-${comparison.after.collectedAt.replace(/[:.]/g, '-')}.md`,
                comparison.markdown,
                'text/markdown',
              )
            }
          >
            Export comparison
          </button>
        )}
      </div>
      {comparison &&
        (comparison.changes.length === 0 ? (
          <p role="status">No differences between the two packs.</p>
        ) : (
          <table className="grid" aria-label="Pack comparison">
            <thead>
              <tr>
                <th>Area</th>
                <th>Node</th>
                <th>What</th>
                <th>Before</th>
                <th>After</th>
              </tr>
            </thead>
            <tbody>
              {comparison.changes.map((c, i) => (
                <tr key={`${c.area}-${c.node}-${c.what}-${i}`}>
                  <td>{c.area}</td>
                  <td>{c.node ?? 'cluster'}</td>
                  <td>{c.what}</td>
                  <td>
                    <code>{c.before ?? '—'}</code>
                  </td>
                  <td>
                    <code>{c.after ?? '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
