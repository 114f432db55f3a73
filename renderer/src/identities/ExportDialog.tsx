import { useState } from 'react';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { call, errorText } from '../api/call';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { downloadText, downloadUrl } from '../lib/download';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';

type Format = 'bundle' | 'talosconfig';
const MIN_PASSPHRASE = 12;

/**
 * Hand an identity to someone else: an encrypted Nodeglass bundle (recommended; the key stays encrypted and the
 * passphrase is never stored) or a standard talosconfig with the key in clear, confirmed. Both are audited.
 */
export function ExportDialog({ identity: i, onClose }: { identity: IdentitySummary; onClose(): void }) {
  const notify = useUi((s) => s.notify);
  const host = useSession((s) => s.host);
  const [format, setFormat] = useState<Format>('bundle');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const problem =
    format === 'bundle'
      ? passphrase.length < MIN_PASSPHRASE
        ? `Use a passphrase of at least ${MIN_PASSPHRASE} characters.`
        : passphrase !== repeat
          ? 'The two passphrases differ.'
          : null
      : acknowledged
        ? null
        : 'Tick the box to confirm that the file will hold the key in clear.';

  const exportNow = async () => {
    setBusy(true);
    setError(null);
    try {
      if (format === 'bundle') {
        const r = await call('identities.exportBundle', { id: i.id, passphrase });
        if (r.content) downloadText(r.filename, r.content, 'application/json');
        notify(
          'info',
          `Exported ${i.name} as an encrypted bundle${r.path ? ` to ${r.path}` : ` (${r.filename})`}. Give the passphrase separately.`,
        );
      } else {
        const r = await call('identities.export', { id: i.id, acknowledgePlaintextKey: true });
        if (r.url) downloadUrl(r.filename, r.url);
        notify('info', `${r.path ? `Wrote ${r.path} (mode 0600)` : `Downloaded ${r.filename}`}. The export is in the audit trail.`);
      }
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={`Export ${i.name}`}
      identity={i}
      confirmLabel={busy ? 'Exporting…' : format === 'bundle' ? 'Export encrypted bundle' : 'Export with the key in clear'}
      danger={format === 'talosconfig'}
      confirmDisabled={busy || problem !== null}
      onCancel={onClose}
      onConfirm={() => void exportNow()}
      body={
        <>
          <fieldset className="export-format">
            <legend>Format</legend>
            <label>
              <input type="radio" name="format" checked={format === 'bundle'} onChange={() => setFormat('bundle')} /> Encrypted Nodeglass
              bundle <span className="muted">(recommended: one file another Nodeglass imports with the passphrase)</span>
            </label>
            <label>
              <input type="radio" name="format" checked={format === 'talosconfig'} onChange={() => setFormat('talosconfig')} /> Standard
              talosconfig <span className="muted">(for talosctl; the private key is in clear)</span>
            </label>
          </fieldset>
          {format === 'bundle' ? (
            <div className="form-grid">
              <label>
                Passphrase{' '}
                <input
                  type="password"
                  aria-label="Bundle passphrase"
                  autoComplete="new-password"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                />
              </label>
              <label>
                Again{' '}
                <input
                  type="password"
                  aria-label="Repeat the passphrase"
                  autoComplete="new-password"
                  value={repeat}
                  onChange={(e) => setRepeat(e.target.value)}
                />
              </label>
              <p className="muted" style={{ gridColumn: '1 / -1', margin: 0 }}>
                scrypt + AES-256-GCM. Nodeglass does not keep the passphrase: tell it to the recipient another way than the file.
              </p>
            </div>
          ) : (
            <>
              <p className="warn-text">
                The file will hold this identity's private key unencrypted, as talosctl expects. Anyone who can read it can act with{' '}
                {i.roles.join(', ')} until {new Date(i.notAfter).toLocaleString()}.
              </p>
              <p className="muted">
                {host === 'desktop'
                  ? 'You choose where to save it next; Nodeglass never overwrites an existing file.'
                  : 'Your browser downloads it; move it somewhere only you can read.'}
              </p>
              <label className="export-acknowledge">
                <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} /> I understand the key
                will be stored in clear
              </label>
            </>
          )}
          {(error ?? (busy ? null : problem)) && (
            <p className={error ? 'error-text' : 'muted'} role={error ? 'alert' : undefined}>
              {error ?? problem}
            </p>
          )}
        </>
      }
    />
  );
}
