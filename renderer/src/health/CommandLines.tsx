import { useState } from 'react';
import { useUi } from '../stores/ui-store';
import { Visible, visibleText } from '../components/Visible';

/** talosctl lines a fix suggests (or evidence to look at), always shown (not only in teach mode), with one copy button for all of them. */
export function CommandLines({ lines, testId = 'fix-command' }: { lines: string[]; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(lines.map(visibleText).join('\n'));
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      useUi.getState().notify('warning', 'The clipboard is not available here; select the commands and copy them by hand.');
    }
  };
  return (
    <div className="command-lines" role="group" aria-label="talosctl commands">
      <pre>
        {lines.map((l, i) => (
          <code key={i} data-testid={testId}>
            <Visible text={l} />
            {'\n'}
          </code>
        ))}
      </pre>
      <button className="link" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
