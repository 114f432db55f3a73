import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A detail pane beside a table (resources, services, files): the table keeps its columns, the pane scrolls
 * on its own, and Escape or Close puts the focus back where it was.
 */
export function Drawer({ title, onClose, children }: { title: ReactNode; onClose(): void; children: ReactNode }) {
  const pane = useRef<HTMLElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    pane.current?.focus({ preventScroll: true });
    return () => before?.focus({ preventScroll: true });
  }, []);
  return (
    <aside
      ref={pane}
      className="drawer"
      aria-label="Details"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="drawer-head">
        <h3>{title}</h3>
        <button className="link" onClick={onClose} aria-label="Close details" title="Close (Esc)">
          ✕
        </button>
      </header>
      <div className="drawer-body">{children}</div>
    </aside>
  );
}

/** Lays a table and its drawer side by side; without a drawer the table takes the whole width. */
export function WithDrawer({ drawer, children }: { drawer: ReactNode; children: ReactNode }) {
  return (
    <div className={drawer ? 'split' : undefined}>
      <div className="split-main">{children}</div>
      {drawer}
    </div>
  );
}
