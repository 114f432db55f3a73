import { useState } from 'react';
import { call, errorText } from '../api/call';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';

/** Imports an encrypted bundle another Nodeglass exported: the file is read here, opened with the passphrase in the host. */
export function BundleImport() {
  const vault = useSession((s) => s.vault);
  const refresh = useSession((s) => s.refreshIdentities);
  const notify = useUi((s) => s.notify);
  const [content, setContent] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = vault?.state !== 'unlocked';

  const importNow = async () => {
    if (!content) return;
    setBusy(true);
    setError(null);
    try {
      const report = await call('identities.importBundle', { content, passphrase });
      setContent(null);
      setPassphrase('');
      setFileName('');
      notify('info', `Imported ${report.imported.map((i) => i.name).join(', ')} from the bundle.`);
      for (const w of report.warnings) notify('warning', w);
      await refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-label="Import a Nodeglass bundle">
      <h3>Import a Nodeglass bundle</h3>
      <p className="muted">An encrypted identity someone exported for you; ask them for its passphrase.</p>
      {locked ? (
        <p className="warn-text">Create or unlock the vault above first: the bundle's key is stored encrypted in it.</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void importNow();
          }}
        >
          <label>
            Bundle file{' '}
            <input
              type="file"
              aria-label="Bundle file"
              accept=".nodeglass-bundle,application/json"
              onChange={(e) => {
                const file = e.target.files?.[0];
                setError(null);
                if (!file) return;
                if (file.size > 1_048_576) return setError(`${file.name} is larger than 1 MiB; a bundle is a few KiB.`);
                setFileName(file.name);
                void file.text().then(setContent);
              }}
            />
          </label>
          <div className="toolbar">
            <input
              type="password"
              aria-label="Bundle passphrase"
              placeholder="Passphrase"
              autoComplete="off"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
            <button className="primary" type="submit" disabled={!content || !passphrase || busy}>
              {busy ? 'Opening…' : `Import${fileName ? ` ${fileName}` : ''}`}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
