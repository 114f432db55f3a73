import { useEffect, useRef, useState } from 'react';
import type { DiscoveredConfig, ImportDraft } from '../../../shared/domain/identity';
import { call, errorText } from '../api/call';
import { RoleBadges } from '../components/RoleBadges';
import { plural } from '../lib/format';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';

const MAX_BYTES = 1_048_576;

/**
 * Import a talosconfig through a draft the host holds: pasted text and picked files go to the host at once, and
 * what comes back (the contexts and the text with keys masked) is all this screen shows, so a shared screen never
 * shows a private key. Nothing here names a path: the desktop opens its own dialog, discovered files go by source.
 */
export function ImportPanel() {
  const vault = useSession((s) => s.vault);
  const host = useSession((s) => s.host);
  const refreshIdentities = useSession((s) => s.refreshIdentities);
  const notify = useUi((s) => s.notify);
  const [draft, setDraft] = useState<ImportDraft | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [discovered, setDiscovered] = useState<DiscoveredConfig[]>([]);
  const held = useRef<string | null>(null);

  useEffect(() => {
    void call('identities.discover', {}).then(setDiscovered, () => undefined);
    // A draft left behind (another screen opened) is dropped by the host too.
    return () => void (held.current && call('identities.discardDraft', { draftId: held.current }).catch(() => undefined));
  }, []);

  const show = (next: ImportDraft | null) => {
    const previous = held.current;
    if (previous && previous !== next?.draftId) void call('identities.discardDraft', { draftId: previous }).catch(() => undefined);
    held.current = next?.draftId ?? null;
    setDraft(next);
    setChosen(next?.preview?.contexts.filter((c) => c.problems.length === 0).map((c) => c.name) ?? []);
  };
  const open = (p: Promise<ImportDraft | null>) => {
    setError(null);
    p.then(show, (e) => setError(errorText(e)));
  };
  const hand = (text: string, source: string) => {
    if (!text.trim()) return;
    if (text.length > MAX_BYTES) return setError(`${source} is larger than 1024 KiB; a talosconfig is a few KiB.`);
    open(call('identities.draft', { yaml: text, source }));
  };

  const importNow = async () => {
    if (!draft) return;
    try {
      const report = await call('identities.import', { draftId: draft.draftId, contexts: chosen });
      held.current = null;
      setDraft(null);
      notify('info', `Imported ${report.imported.map((i) => i.name).join(', ')}.`);
      for (const w of report.warnings) notify('warning', w);
      await refreshIdentities();
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
            <button disabled={locked} onClick={() => open(call('identities.openDiscovered', { source: d.source }))}>
              Review and import…
            </button>
          )}
        </p>
      ))}
      {draft ? (
        <DraftReview
          draft={draft}
          chosen={chosen}
          setChosen={setChosen}
          locked={locked}
          onImport={() => void importNow()}
          onCancel={() => show(null)}
        />
      ) : (
        <>
          {host === 'desktop' ? (
            <button disabled={locked} onClick={() => open(call('identities.openFile', {}).then((r) => r.draft))}>
              Choose a talosconfig file…
            </button>
          ) : (
            <label>
              Choose a file:{' '}
              <input
                type="file"
                disabled={locked}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (!file) return;
                  if (file.size > MAX_BYTES) return setError(`${file.name} is larger than 1024 KiB; a talosconfig is a few KiB.`);
                  void file.text().then((text) => hand(text, file.name));
                }}
              />
            </label>
          )}
          <label className="block">
            <span className="muted">or paste the talosconfig here (keys are masked before anything is shown):</span>
            <textarea
              rows={4}
              value=""
              disabled={locked}
              spellCheck={false}
              placeholder="Ctrl+V"
              onPaste={(e) => {
                // The pasted text goes to the host without ever becoming the box's content.
                e.preventDefault();
                hand(e.clipboardData.getData('text'), 'pasted text');
              }}
              onChange={(e) => hand(e.target.value, 'pasted text')}
            />
          </label>
        </>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function DraftReview(props: {
  draft: ImportDraft;
  chosen: string[];
  setChosen(names: string[]): void;
  locked: boolean;
  onImport(): void;
  onCancel(): void;
}) {
  const { draft, chosen, setChosen } = props;
  return (
    <div className="import-draft">
      <p className="muted">
        From <code>{draft.source}</code>, private keys hidden:
      </p>
      <pre className="masked-yaml mono" aria-label="Talosconfig to import, private keys hidden" tabIndex={0}>
        {draft.masked}
      </pre>
      {draft.problem && (
        <p className="error-text" role="alert">
          {draft.problem}
        </p>
      )}
      {draft.preview && (
        <ul className="list">
          {draft.preview.contexts.map((c) => (
            <li key={c.name}>
              <label>
                <input
                  type="checkbox"
                  disabled={c.problems.length > 0}
                  checked={chosen.includes(c.name)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, c.name] : chosen.filter((n) => n !== c.name))}
                />{' '}
                {c.name}
                {c.name === draft.preview!.current && <span className="badge">current</span>} <RoleBadges roles={c.roles} />
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
      )}
      <div className="toolbar">
        {draft.preview && (
          <button className="primary" disabled={chosen.length === 0 || props.locked} onClick={props.onImport}>
            Import {plural(chosen.length, 'context')}
          </button>
        )}
        <button onClick={props.onCancel}>Cancel</button>
      </div>
    </div>
  );
}
