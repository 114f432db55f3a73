import { useState } from 'react';
import { useUi } from '../stores/ui-store';
import { Visible, visibleText } from './Visible';

/** Teach mode: the talosctl command and gRPC method behind a view or action, with a copy button. */
export function TeachLine({ command, method }: { command: string; method: string }) {
  const teach = useUi((s) => s.teach);
  const [copied, setCopied] = useState(false);
  if (!teach) return null;
  const copy = async () => {
    try {
      // Hidden characters from a node never reach a shell unseen: the copy carries them escaped too.
      await navigator.clipboard.writeText(visibleText(command));
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      useUi.getState().notify('warning', 'The clipboard is not available here; select the command and copy it by hand.');
    }
  };
  return (
    <div className="teach" role="group" aria-label="Equivalent talosctl command">
      <code data-testid="talosctl-line">
        <Visible text={command} />
      </code>
      <span className="muted" title="gRPC method">
        {method}
      </span>
      <button className="link" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
