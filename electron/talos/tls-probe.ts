import { X509Certificate } from 'node:crypto';
import { connect, type SecureContext } from 'node:tls';
import { isIP } from 'node:net';

/**
 * gRPC reports a refused client certificate only as "Failed to connect": in TLS 1.3 the server's alert
 * arrives after the client thinks the handshake is done. This opens one plain TLS connection with the same
 * credentials and reads what the server actually said.
 */
export function probeTls(endpoint: string, secureContext: SecureContext, timeoutMs = 3000): Promise<string | null> {
  const at = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(endpoint.slice(at + 1));
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = connect({ host, port, secureContext, ALPNProtocols: ['h2'], ...(isIP(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', (error) => done(error.message));
    socket.on('data', () => done(null)); // the server's HTTP/2 SETTINGS: the certificate was accepted
    socket.on('close', () =>
      done(
        "the server closed the connection right after the TLS handshake: it rejected the client certificate (is it signed by another cluster's CA?)",
      ),
    );
  });
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const EKU_NAMES: Record<string, string> = {
  [CLIENT_AUTH]: 'clientAuth',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
};

/** When a server drops us after the handshake, our own certificate usually says why. */
export function explainRejection(certPem: string, now = new Date()): string | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return null;
  }
  if (now > new Date(cert.validTo))
    return `the server refused the client certificate: certificate expired on ${new Date(cert.validTo).toISOString()}`;
  if (now < new Date(cert.validFrom))
    return `the server refused the client certificate: certificate is not valid before ${new Date(cert.validFrom).toISOString()} (check this computer's clock)`;
  const usages = cert.keyUsage ?? [];
  if (usages.length !== 1 || usages[0] !== CLIENT_AUTH)
    return `the server rejected the client certificate: it must have the client auth extended key usage and no other (it has ${usages.map((u) => EKU_NAMES[u] ?? u).join(', ') || 'none'})`;
  return null;
}
