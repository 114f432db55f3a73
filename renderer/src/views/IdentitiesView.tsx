import { useEffect, useState } from 'react';
import type { DiscoveredConfig, ImportPreview } from '../../../shared/domain/identity';
import { call, errorText } from '../api/call';
import { FilterBox } from '../components/FilterBox';
import { IdentityCard } from '../components/IdentityCard';
import { BundleImport } from '../identities/BundleImport';
import { RoleBadges } from '../components/RoleBadges';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { plural } from '../lib/format';

function VaultPanel() {
  const vault = useSession((s) => s.vault);
  const refreshVault = useSession((s) => s.refreshVault);
  const refreshIdentities = useSession((s) => s.refreshIdentities);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!vault || vault.state === 'unlocked') return null;
  const submit = async () => {
    try {
      await call(vault.state === 'uninitialized' ? 'vault.setup' : 'vault.unlock', { passphrase });
      setPassphrase('');
      setError(null);
      await refreshVault();
      await refreshIdentities();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="card" aria-label="Vault">
      <h3>{vault.state === 'uninitialized' ? 'Protect your keys with a passphrase' : 'Unlock the vault'}</h3>
      <p className="muted">
        {vault.note ??
          'Private keys are encrypted with a key derived from this passphrase (scrypt, AES-256-GCM). Nodeglass never stores the passphrase.'}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          Passphrase{' '}
          <input
            type="password"
            autoComplete={vault.state === 'uninitialized' ? 'new-password' : 'current-password'}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>{' '}
        <button className="primary" type="submit">
          {vault.state === 'uninitialized' ? 'Create vault' : 'Unlock'}
        </button>
      </form>
      {vault.state === 'uninitialized' && vault.mode === 'safe-storage' && (
        <p>
          or{' '}
          <button
            onClick={() =>
              void call('vault.setup', { passphrase: null }).then(
                () => Promise.all([refreshVault(), refreshIdentities()]),
                (e) => setError(errorText(e)),
              )
            }
          >
            Protect keys with the OS keyring
          </button>
        </p>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function ImportPanel() {
  const vault = useSession((s) => s.vault);
  const host = useSession((s) => s.host);
  const refreshIdentities = useSession((s) => s.refreshIdentities);
  const notify = useUi((s) => s.notify);
  const [yaml, setYaml] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [discovered, setDiscovered] = useState<DiscoveredConfig[]>([]);

  useEffect(() => {
    void call('identities.discover', {}).then(setDiscovered, () => undefined);
  }, []);

  const check = async (text: string) => {
    setYaml(text);
    setError(null);
    setPreview(null);
    if (!text.trim()) return;
    try {
      const p = await call('identities.preview', { yaml: text });
      setPreview(p);
      setChosen(p.contexts.filter((c) => c.problems.length === 0).map((c) => c.name));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const done = async (report: { imported: { name: string }[]; warnings: string[] }) => {
    setYaml('');
    setPreview(null);
    notify('info', `Imported ${report.imported.map((i) => i.name).join(', ')}.`);
    for (const w of report.warnings) notify('warning', w);
    await refreshIdentities();
  };

  const importNow = async () => {
    try {
      await done(await call('identities.import', { yaml, contexts: chosen }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const locked = vault?.state !== 'unlocked';
  return (
    <section className="card" aria-label="Import talosconfig">
      <h3>Import talosconfig</h3>
      {locked && <p className="warn-text">Create or unlock the vault first; imported keys are stored encrypted.</p>}
      {discovered.map((d) => (
        <p key={d.path}>
          Found <code>{d.path}</code> ({d.source === 'TALOSCONFIG' ? '$TALOSCONFIG' : 'talosctl default'}):{' '}
          {d.error ?? d.contexts.join(', ')}{' '}
          {!d.error && (
            <button
              disabled={locked}
              onClick={() => void call('identities.importPath', { path: d.path, contexts: null }).then(done, (e) => setError(errorText(e)))}
            >
              Import it
            </button>
          )}
        </p>
      ))}
      {host === 'desktop' && (
        <button
          disabled={locked}
          onClick={() =>
            void call('identities.pickFile', {}).then(async (r) => {
              if (!r.path) return;
              await call('identities.importPath', { path: r.path, contexts: null }).then(done, (e) => setError(errorText(e)));
            })
          }
        >
          Choose a talosconfig file…
        </button>
      )}
      <label>
        Choose a file:{' '}
        <input
          type="file"
          disabled={locked}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            if (file.size > 1_048_576) return setError(`${file.name} is larger than 1024 KiB; a talosconfig is a few KiB.`);
            void file.text().then(check);
          }}
        />
      </label>
      <label className="block">
        <span className="muted">or paste the talosconfig YAML:</span>
        <textarea rows={6} value={yaml} disabled={locked} onChange={(e) => void check(e.target.value)} spellCheck={false} />
      </label>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div>
          <ul className="list">
            {preview.contexts.map((c) => (
              <li key={c.name}>
                <label>
                  <input
                    type="checkbox"
                    disabled={c.problems.length > 0}
                    checked={chosen.includes(c.name)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, c.name] : chosen.filter((n) => n !== c.name))}
                  />{' '}
                  {c.name}
                  {c.name === preview.current && <span className="badge">current</span>} <RoleBadges roles={c.roles} />
                </label>
                {c.problems.map((p) => (
                  <div key={p} className="error-text">
                    {p}
                  </div>
                ))}
                {c.warnings.map((w) => (
                  <div key={w} className="warn-text">
                    {w}
                  </div>
                ))}
              </li>
            ))}
          </ul>
          <button className="primary" disabled={chosen.length === 0 || locked} onClick={() => void importNow()}>
            Import {plural(chosen.length, 'context')}
          </button>
        </div>
      )}
    </section>
  );
}

export function IdentitiesView() {
  const identities = useSession((s) => s.identities);
  const [filter, setFilter] = useState('');
  const q = filter.toLowerCase();
  const shown = q
    ? identities.filter((i) => `${i.name} ${i.cluster} ${i.roles.join(' ')} ${i.endpoints.join(' ')}`.toLowerCase().includes(q))
    : identities;
  return (
    <div>
      <div className="toolbar">
        <FilterBox label="Filter identities" placeholder="Filter identities (/)" value={filter} onChange={setFilter} />
        <span className="muted">
          {q
            ? `${shown.length} of ${plural(identities.length, 'identity', 'identities')}`
            : plural(identities.length, 'identity', 'identities')}
        </span>
      </div>
      <div className="cards">
        <VaultPanel />
        <ImportPanel />
        <BundleImport />
        {shown.map((i) => (
          <IdentityCard key={i.id} identity={i} />
        ))}
      </div>
    </div>
  );
}
