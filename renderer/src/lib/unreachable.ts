/** Error codes that mean the node (or the way to it) did not answer at all, as opposed to refusing a call. */
const UNREACHABLE = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'TLS_FAILED', 'TLS_UNKNOWN_CA', 'TLS_NAME_MISMATCH', 'TLS_CERT_REJECTED']);

export function isUnreachable(code: string): boolean {
  return UNREACHABLE.has(code);
}
