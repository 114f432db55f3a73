import { useState } from 'react';
import { useUi } from '../stores/ui-store';

/** Teach mode: the talosctl command and gRPC method behind a view or action, with a copy button. */
export function TeachLine({ command, method }: { command: string; method: string }) {
  const teach = useUi((s) => s.teach);
  const [copied, setCopied] = useState(false);
  if (!teach) return null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      useUi.getState().notify('warning', 'The clipboard is not available here; select the command and copy it by hand.');
    }
  };
  return (
    <div className="teach" aria-label="Equivalent talosctl command">
      <code data-testid="talosctl-line">{command}</code>
      <span className="muted" title="gRPC method">
        {method}
      </span>
      <button className="link" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
