import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** Open dialogs, innermost last: Escape closes the innermost one only. */
const openDialogs: symbol[] = [];

/**
 * A modal dialog: the focus moves in, Tab and Shift+Tab stay inside, Escape closes, and the focus goes back
 * to where it was. Clicking the backdrop closes it too. Escape and Tab are heard on the whole document, so
 * they still work when the focus has fallen out (a pressed button that disables itself drops it on the page).
 */
export function Modal(props: {
  label: string;
  role?: 'dialog' | 'alertdialog';
  className?: string;
  backdropClassName?: string;
  onClose(): void;
  /** The element to focus first; the first focusable one otherwise. */
  initialFocus?: React.RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(props.onClose);
  close.current = props.onClose;
  const initial = props.initialFocus;

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (initial?.current ?? box.current?.querySelector<HTMLElement>(FOCUSABLE) ?? box.current)?.focus();
    return () => before?.focus();
  }, [initial]);

  useEffect(() => {
    const me = Symbol('dialog');
    openDialogs.push(me);
    const onKey = (e: KeyboardEvent) => {
      if (openDialogs[openDialogs.length - 1] !== me) return;
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
      } else if (e.key === 'Tab' && box.current && !box.current.contains(document.activeElement)) {
        e.preventDefault();
        (box.current.querySelector<HTMLElement>(FOCUSABLE) ?? box.current).focus();
      }
    };
    // Capture: before the page's own keys (Escape also leaves the log view's full screen, say).
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      openDialogs.splice(openDialogs.indexOf(me), 1);
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return e.preventDefault();
    if (e.shiftKey && (document.activeElement === first || !box.current.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className={props.backdropClassName ?? 'dialog-backdrop'} onMouseDown={(e) => e.target === e.currentTarget && close.current()}>
      <div
        ref={box}
        className={props.className ?? 'dialog'}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-label={props.label}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {props.children}
      </div>
    </div>
  );
}
