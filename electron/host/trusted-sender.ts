/** What the IPC handler knows about the frame that sent a request (Electron's `event.senderFrame`). */
export interface SenderFrame {
  url?: string;
  /** null for the window's main frame; an iframe has a parent. */
  parent?: unknown;
}

/** IPC is answered only for the app's own renderer page, in the main frame: the exact URL, ignoring a fragment. */
export function isTrustedSender(frame: SenderFrame | null | undefined, rendererUrl: string): boolean {
  if (!frame?.url || frame.parent) return false;
  try {
    const url = new URL(frame.url);
    const expected = new URL(rendererUrl);
    return url.protocol === expected.protocol && url.host === expected.host && url.pathname === expected.pathname && url.search === '';
  } catch {
    return false;
  }
}
