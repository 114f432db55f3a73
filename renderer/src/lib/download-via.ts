import type { Channel, Request, Response } from '../../../shared/contract';
import { getApi } from '../api';
import { call } from '../api/call';
import { downloadBlob } from './download';

type DownloadChannel = Extract<Channel, `downloads.${string}`>;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export interface Progress {
  bytes: number;
  packets: number | null;
}

export interface RunningDownload<C extends DownloadChannel> {
  done: Promise<Response<C>>;
  cancel(): void;
}

/**
 * Starts a `downloads.*` call: the desktop host streams it to the file the operator picks; in browser mode it
 * arrives in chunks that become one Blob, saved under `filename` once the host says it is complete and verified.
 */
export function downloadVia<C extends DownloadChannel>(
  channel: C,
  request: Omit<Request<C>, 'downloadId'>,
  filename: string,
  onProgress: (p: Progress) => void,
): RunningDownload<C> {
  const downloadId = crypto.randomUUID();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const off = getApi().on('files.chunk', (chunk) => {
    if (chunk.downloadId !== downloadId) return;
    if (chunk.base64) parts.push(decode(chunk.base64));
    onProgress({ bytes: chunk.bytes, packets: chunk.packets });
  });
  const done = call(channel, { ...request, downloadId } as Request<C>)
    .then((result) => {
      const r = result as { savedTo: string | null; cancelled: boolean };
      if (r.savedTo === null && !r.cancelled) downloadBlob(filename, new Blob(parts, { type: 'application/octet-stream' }));
      return result;
    })
    .finally(() => {
      off();
      parts.length = 0;
    });
  return { done, cancel: () => void call('files.cancelDownload', { downloadId }).catch(() => undefined) };
}

export const fileStamp = () => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
