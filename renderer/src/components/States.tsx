import type { ReactNode } from 'react';

/** Shown while the first answer is on its way, so an empty screen never looks like "nothing there". */
export function LoadingState({ what }: { what: string }) {
  return (
    <div className="state loading" role="status">
      <span className="spinner" aria-hidden />
      Loading {what}…
    </div>
  );
}

/** A sentence when there is nothing to show, saying why where we know. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="state empty" data-empty>
      {children}
    </div>
  );
}
