import { useState } from 'react';
import { call, errorText } from '../api/call';
import { FilterBox } from '../components/FilterBox';
import { IdentityCard } from '../components/IdentityCard';
import { BundleImport } from '../identities/BundleImport';
import { ImportPanel } from '../identities/ImportPanel';
import { useSession } from '../stores/session-store';
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
