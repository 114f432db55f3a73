import * as grpc from '@grpc/grpc-js';
import { AppError } from '../../shared/errors';
import { allowedRoles } from '../../shared/talos-rbac';

function details(error: unknown): { code: number | undefined; message: string } {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; details?: unknown; message?: unknown };
    return { code: typeof e.code === 'number' ? e.code : undefined, message: String(e.details ?? e.message ?? '') };
  }
  return { code: undefined, message: String(error) };
}

/** Keeps key material out of anything that becomes a message. */
export function scrub(text: string): string {
  return text.replace(/-----BEGIN[\s\S]*?-----END[^-]*-----/g, '[pem removed]').replace(/[A-Za-z0-9+/]{120,}={0,2}/g, '[base64 removed]');
}

export interface ErrorContext {
  node: string;
  endpoint: string;
  method: string;
  roles: string[];
}

/** Turns a gRPC or TLS failure into an error code and a message an operator can act on. */
export function mapTalosError(error: unknown, ctx: ErrorContext): AppError {
  if (error instanceof AppError) return error;
  const { code, message } = details(error);
  const text = scrub(message);
  const lower = text.toLowerCase();
  const on = `on ${ctx.node}`;
  if (/unknown ca|unable to verify|self[- ]signed|unable to get (local )?issuer|certificate signature failure/.test(lower)) {
    return new AppError(
      'TLS_UNKNOWN_CA',
      `TLS to ${ctx.endpoint} failed: the server's certificate is not signed by this identity's CA (${text}). Check that the talosconfig's "ca" belongs to this cluster.`,
    );
  }
  if (/altnames|hostname\/ip does not match|does not match certificate|err_tls_cert_altname/.test(lower)) {
    return new AppError(
      'TLS_NAME_MISMATCH',
      `TLS to ${ctx.endpoint} failed: the server's certificate does not name this endpoint (${text}). Use an endpoint listed in the node's certSANs.`,
    );
  }
  if (/certificate expired|certificate has expired|cert_has_expired/.test(lower)) {
    return new AppError(
      'TLS_CERT_EXPIRED',
      `TLS to ${ctx.endpoint} failed: a certificate has expired (${text}). Renew the client certificate (talosctl config new) or check the node's clock.`,
    );
  }
  if (
    /alert bad certificate|certificate required|unsupported certificate|bad_certificate|certificate_unknown|client auth|rejected the client certificate/.test(
      lower,
    )
  ) {
    return new AppError(
      'TLS_CERT_REJECTED',
      `${ctx.endpoint} rejected this identity's client certificate (${text}). Talos accepts only certificates from its OS CA with the client-auth key usage.`,
    );
  }
  if (/ssl|tls|handshake/.test(lower) && code === grpc.status.UNAVAILABLE) {
    return new AppError('TLS_FAILED', `TLS to ${ctx.endpoint} failed: ${text}`);
  }
  // Talos answers a log id the node does not keep with Unknown; it will not appear by retrying.
  if (/^log ".*" was not registered$/.test(text))
    return new AppError('NOT_FOUND', `${ctx.node} keeps no such log (${text}); workers have no etcd, for instance.`);
  switch (code) {
    case grpc.status.PERMISSION_DENIED: {
      // COSI's access policy answers an unknown type or namespace with PermissionDenied; no role helps there.
      if (/(resource type|namespace) .* is not supported/.test(text))
        return new AppError('UNIMPLEMENTED', `${ctx.node} does not support that: ${text}. The node may run an older Talos.`);
      const needed = allowedRoles(ctx.method);
      const hint = needed.length
        ? ` ${ctx.method} needs ${needed.join(' or ')}; this identity has ${ctx.roles.join(', ') || 'no roles'}.`
        : '';
      return new AppError('PERMISSION_DENIED', `Permission denied ${on}: ${text}.${hint}`);
    }
    case grpc.status.UNAVAILABLE:
      return new AppError('UNAVAILABLE', `${ctx.node} is unreachable through ${ctx.endpoint}: ${text}`);
    case grpc.status.UNIMPLEMENTED:
      return new AppError('UNIMPLEMENTED', `${ctx.node} does not implement ${ctx.method}: ${text}. The node may run an older Talos.`);
    case grpc.status.NOT_FOUND:
      return new AppError('NOT_FOUND', `Not found ${on}: ${text}`);
    case grpc.status.DEADLINE_EXCEEDED:
      return new AppError('DEADLINE_EXCEEDED', `${ctx.method} ${on} did not answer in time.`);
    case grpc.status.CANCELLED:
      return new AppError('CANCELLED', `${ctx.method} ${on} was cancelled.`);
    case grpc.status.INVALID_ARGUMENT:
      return new AppError('INVALID_ARGUMENT', `${ctx.node} refused the request: ${text}`);
    case grpc.status.ALREADY_EXISTS:
      return new AppError('ALREADY_EXISTS', `${ctx.node} refused: ${text}`);
    case grpc.status.FAILED_PRECONDITION:
      return new AppError('FAILED_PRECONDITION', `${ctx.node} cannot do that now: ${text}`);
    case grpc.status.UNKNOWN: {
      // Talos reports refusals of its own rules as plain errors, which gRPC carries as UNKNOWN.
      const unsupported = /doesn't support (\w+) operation via API/.exec(text);
      if (unsupported)
        return new AppError(
          'NOT_SUPPORTED',
          `${ctx.node} refused: Talos does not allow ${unsupported[1]} of this service through its API (${text}). Only kubelet (start, restart) and extension services (ext-*) can be controlled this way.`,
        );
      if (/ not defined$| was not registered$/.test(text)) return new AppError('NOT_FOUND', `Not found ${on}: ${text}`);
      return new AppError('NODE_ERROR', `${ctx.node} reported an error for ${ctx.method}: ${text || 'no details given'}`);
    }
    default:
      return new AppError('INTERNAL', `${ctx.method} ${on} failed: ${text || 'unknown error'}`);
  }
}
