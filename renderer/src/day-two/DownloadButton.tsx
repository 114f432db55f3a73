import { useState } from 'react';
import type { Channel, Request } from '../../../shared/contract';
import { errorText } from '../api/call';
import { Size } from '../components/Values';
import { downloadVia, type Progress } from '../lib/download-via';

type DownloadChannel = Extract<Channel, `downloads.${string}`>;

/**
 * A button that streams a `downloads.*` call to a file, with live progress, cancel, and what the host verified
 * (size, SHA-256, and the channel's own facts such as packets or the snapshot's trailer hash).
 */
export function DownloadButton<C extends DownloadChannel>(props: {
  channel: C;
  label: string;
  request: Omit<Request<C>, 'downloadId'> | null;
  filename: string;
  disabledReason: string | null;
  facts?: (result: Record<string, unknown>) => string[];
  className?: string;
}) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [cancel, setCancel] = useState<(() => void) | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; lines: string[] } | null>(null);
  const start = () => {
    if (!props.request) return;
    setOutcome(null);
    setProgress({ bytes: 0, packets: null });
    const run = downloadVia(props.channel, props.request, props.filename, setProgress);
    setCancel(() => run.cancel);
    run.done
      .then((raw) => {
        const r = raw as { savedTo: string | null; bytes: number; cancelled: boolean; sha256: string } & Record<string, unknown>;
        setOutcome(
          r.cancelled
            ? { ok: false, lines: ['Cancelled; nothing was saved.'] }
            : {
                ok: true,
                lines: [
                  `Saved ${r.bytes.toLocaleString('en-US')} bytes${r.savedTo ? ` to ${r.savedTo}` : ` as ${props.filename}`}`,
                  ...(props.facts?.(r) ?? []),
                  `SHA-256 ${r.sha256}`,
                ],
              },
        );
      })
      .catch((e: unknown) => setOutcome({ ok: false, lines: [errorText(e)] }))
      .finally(() => {
        setProgress(null);
        setCancel(null);
      });
  };
  return (
    <span className="download-button">
      {progress ? (
        <>
          <span role="status" data-download="running">
            {props.label}: <Size value={progress.bytes} />
            {progress.packets !== null ? `, ${progress.packets.toLocaleString('en-US')} packets` : ''}
          </span>{' '}
          <button onClick={() => cancel?.()}>Cancel</button>
        </>
      ) : (
        <button
          className={props.className}
          disabled={props.disabledReason !== null || !props.request}
          title={props.disabledReason ?? undefined}
          data-reason={props.disabledReason ?? ''}
          onClick={start}
        >
          {props.label}
        </button>
      )}
      {outcome && (
        <span className={outcome.ok ? 'ok-text' : 'error-text'} data-download={outcome.ok ? 'done' : 'failed'} role="status">
          {outcome.lines.map((l) => (
            <span key={l} className="download-line">
              {l}
            </span>
          ))}
        </span>
      )}
    </span>
  );
}
