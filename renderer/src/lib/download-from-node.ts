import type { Response } from '../../../shared/contract';
import { getApi } from '../api';
import { call } from '../api/call';
import { downloadBlob } from './download';

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export interface NodeDownload {
  /** Settles when the file is saved (or the download was cancelled). */
  done: Promise<Response<'files.download'>>;
  cancel(): void;
}

/**
 * Downloads a file of any size from a node. The desktop host streams it to the file the operator picks; in
 * browser mode it arrives in chunks that become one Blob, which the browser saves like any download.
 */
export function downloadFromNode(
  request: { identityId: string; node: string; path: string },
  onProgress: (bytes: number) => void,
): NodeDownload {
  const downloadId = crypto.randomUUID();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const off = getApi().on('files.chunk', (chunk) => {
    if (chunk.downloadId !== downloadId) return;
    if (chunk.base64) parts.push(decode(chunk.base64));
    onProgress(chunk.bytes);
  });
  const done = call('files.download', { ...request, downloadId })
    .then((result) => {
      if (result.savedTo === null && !result.cancelled)
        downloadBlob(
          request.path.slice(request.path.lastIndexOf('/') + 1) || 'download',
          new Blob(parts, { type: 'application/octet-stream' }),
        );
      return result;
    })
    .finally(() => {
      off();
      parts.length = 0;
    });
  return { done, cancel: () => void call('files.cancelDownload', { downloadId }).catch(() => undefined) };
}
