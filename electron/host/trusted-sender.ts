/** IPC is answered only for the app's own renderer page: the exact URL, ignoring a fragment. */
export function isTrustedSender(frameUrl: string | undefined, rendererUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const frame = new URL(frameUrl);
    const expected = new URL(rendererUrl);
    return (
      frame.protocol === expected.protocol && frame.host === expected.host && frame.pathname === expected.pathname && frame.search === ''
    );
  } catch {
    return false;
  }
}
