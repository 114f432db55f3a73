import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: the focus moves in, Tab and Shift+Tab stay inside, Escape closes, and the focus goes back
 * to where it was. Clicking the backdrop closes it too.
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

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close.current();
      return;
    }
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
