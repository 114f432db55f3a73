import { Fragment } from 'react';
import { GLOBAL_SHORTCUTS, GO_PREFIX, type Shortcut } from '../lib/shortcuts';
import { useUi } from '../stores/ui-store';
import type { ViewSpec } from '../views/registry';
import { TAB_ORDER } from '../views/tab-groups';
import { Modal } from './Modal';

function Keys({ shortcut }: { shortcut: Shortcut }) {
  return (
    <span className="keys">
      {shortcut.keys.map((k, i) => (
        <Fragment key={k}>
          {i > 0 && <span className="muted"> {shortcut.join === 'or' ? 'or' : 'then'} </span>}
          <kbd>{k}</kbd>
        </Fragment>
      ))}
    </span>
  );
}

function Section({ title, shortcuts }: { title: string; shortcuts: readonly Shortcut[] }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <dl className="shortcuts">
        {shortcuts.map((s) => (
          <Fragment key={s.keys.join('+') + s.what}>
            <dt>
              <Keys shortcut={s} />
            </dt>
            <dd>{s.what}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

/** `?`: every shortcut of the app, from the same lists the key handlers use. */
export function ShortcutList() {
  const open = useUi((s) => s.shortcutsOpen);
  const setOpen = useUi((s) => s.setShortcutsOpen);
  if (!open) return null;
  const views: readonly ViewSpec[] = TAB_ORDER;
  const goTo = views.map((v): Shortcut => ({ keys: [GO_PREFIX, v.key], join: 'then', what: v.label }));
  return (
    <Modal label="Keyboard shortcuts" className="dialog shortcut-list" onClose={() => setOpen(false)}>
      <header className="drawer-head">
        <h2>Keyboard shortcuts</h2>
        <button className="link" onClick={() => setOpen(false)} aria-label="Close shortcuts" title="Close (Esc)">
          ✕
        </button>
      </header>
      <div className="shortcut-columns">
        <Section title="Everywhere" shortcuts={GLOBAL_SHORTCUTS} />
        <Section title="Go to a screen" shortcuts={goTo} />
        {views
          .filter((v) => v.shortcuts?.length)
          .map((v) => (
            <Section key={v.id} title={`On ${v.label}`} shortcuts={v.shortcuts!} />
          ))}
      </div>
    </Modal>
  );
}
