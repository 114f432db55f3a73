/** Saves data as a file through the browser's download (works in Electron and browser mode). */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Lets the browser download a file the host serves once (the bytes never reach this page's script). */
export function downloadUrl(filename: string, url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export const downloadText = (filename: string, content: string, type = 'text/plain') =>
  downloadBlob(filename, new Blob([content], { type }));

export const downloadBytes = (filename: string, bytes: Uint8Array) =>
  downloadBlob(filename, new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));

/** Large texts arrive as chunks; the Blob joins them without building one huge string. */
export const downloadParts = (filename: string, parts: string[]) => downloadBlob(filename, new Blob(parts, { type: 'text/plain' }));
