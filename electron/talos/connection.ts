import * as grpc from '@grpc/grpc-js';
import { createSecureContext, type SecureContext } from 'node:tls';
import { relabelForOpenSsl } from '../../certs/pem';
import { AppError } from '../../shared/errors';
import { mapTalosError } from './errors';
import { installLeanAsyncBind } from './lean-async-bind';
import { explainRejection, probeTls } from './tls-probe';

// Every gRPC call goes through Node's HTTP/2 request, which pays for a deprecated accessor unless this is in place.
installLeanAsyncBind();

/** What a connection needs from an identity. The key arrives from the vault, in the main process only. */
export interface ConnectionMaterial {
  context: string;
  endpoints: string[];
  roles: string[];
  caPem: string;
  certPem: string;
  keyPem: Buffer;
}

export interface MethodDef<Req, Res> {
  path: string;
  requestSerialize(value: Req): Buffer;
  responseDeserialize(value: Buffer): Res;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Electron's BoringSSL leaves Ed25519 out of its default list; Talos certificates are Ed25519. */
export const SIGNATURE_ALGORITHMS = [
  'ed25519',
  'ecdsa_secp256r1_sha256',
  'ecdsa_secp384r1_sha384',
  'rsa_pss_rsae_sha256',
  'rsa_pss_rsae_sha384',
  'rsa_pss_rsae_sha512',
  'rsa_pkcs1_sha256',
  'rsa_pkcs1_sha384',
  'rsa_pkcs1_sha512',
].join(':');

export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': 32 * 1024 * 1024,
  'grpc.max_send_message_length': 32 * 1024 * 1024,
  // apid keeps grpc-go's default enforcement (5 minutes, no pings without calls); faster pings get GOAWAY.
  'grpc.keepalive_time_ms': 300_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 0,
  'grpc.initial_reconnect_backoff_ms': 500,
  // channelz bookkeeping only adds CPU to every call of a 100-node fan-out; nothing here reads it.
  'grpc.enable_channelz': 0,
  // HTTP/2's default 64 KiB windows let only 64 KiB be unread on the connection before a node must wait for the
  // client's WINDOW_UPDATE; one round of a 100-node fan-out brings ~450 KB of ServiceList. grpc-go (talosctl,
  // apid) grows its windows by BDP estimation up to 16 MiB; grpc-js keeps a fixed one, so it starts at 1 MiB
  // (connection and stream). The app reads every stream as it arrives: this only lets more bytes be in flight.
  'grpc-node.flow_control_window': 1 << 20,
  'grpc.max_reconnect_backoff_ms': 10_000,
};

/** `host` → `host:50000`; `https://host` → `host:443`; IPv6 stays bracketed. */
export function normalizeEndpoint(endpoint: string): string {
  let value = endpoint.trim();
  let defaultPort = 50000;
  const url = /^([a-z]+):\/\/(.*)$/i.exec(value);
  if (url) {
    if ((url[1] ?? '').toLowerCase() === 'https') defaultPort = 443;
    value = (url[2] ?? '').replace(/\/.*$/, '');
  }
  if (value.startsWith('[')) return value.includes(']:') ? value : `${value}:${defaultPort}`;
  if ((value.match(/:/g) ?? []).length > 1) return `[${value}]:${defaultPort}`;
  return /:\d+$/.test(value) ? value : `${value}:${defaultPort}`;
}

const CONNECT_FAILURE =
  /no connection established|failed to connect|connect econnrefused|name resolution failed|getaddrinfo|ehostunreach|enetunreach|econnreset|connection dropped|socket closed|tls|ssl|handshake|certificate/i;

/** One channel per endpoint, mTLS with the identity's CA only, with failover to the next endpoint. */
export class TalosConnection {
  private readonly clients: { endpoint: string; client: grpc.Client }[];
  private current = 0;
  private readonly secureContext: SecureContext;
  private readonly metadataByNode = new Map<string, grpc.Metadata>();

  constructor(readonly material: ConnectionMaterial) {
    if (material.endpoints.length === 0) {
      throw new AppError(
        'IDENTITY_INVALID',
        `Identity ${material.context} has no endpoints. Add the address of a control-plane node (or its load balancer) in Identities.`,
      );
    }
    const key = Buffer.from(relabelForOpenSsl(material.keyPem.toString('utf8')));
    let secureContext;
    try {
      secureContext = createSecureContext({
        ca: material.caPem,
        cert: material.certPem,
        key,
        sigalgs: SIGNATURE_ALGORITHMS,
        minVersion: 'TLSv1.2',
      });
    } catch (error) {
      throw new AppError(
        'IDENTITY_INVALID',
        `Identity ${material.context}: the certificate and key could not be loaded for TLS (${(error as Error).message}).`,
      );
    } finally {
      key.fill(0);
    }
    this.secureContext = secureContext;
    const credentials = grpc.credentials.createFromSecureContext(secureContext);
    this.clients = material.endpoints.map((raw) => {
      const endpoint = normalizeEndpoint(raw);
      return { endpoint, client: new grpc.Client(endpoint, credentials, CHANNEL_OPTIONS) };
    });
  }

  get endpoint(): string {
    return this.clients[this.current]?.endpoint ?? '';
  }

  /**
   * The `node` metadata of a call. grpc-js copies a call's metadata before it adds to it, so one object per node
   * serves every call (a fan-out no longer builds and validates one per call).
   */
  private metadata(node: string | null): grpc.Metadata {
    const key = node ?? '';
    let md = this.metadataByNode.get(key);
    if (!md) {
      md = new grpc.Metadata();
      if (node) md.set('node', node);
      if (this.metadataByNode.size >= 4096) this.metadataByNode.clear();
      this.metadataByNode.set(key, md);
    }
    return md;
  }

  /** A unary call to one node (the `node` metadata key); tries the next endpoint when one cannot be reached. */
  async unary<Req, Res>(def: MethodDef<Req, Res>, request: Req, node: string | null, options: CallOptions = {}): Promise<Res> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.clients.length; attempt++) {
      const index = (this.current + attempt) % this.clients.length;
      const { client, endpoint } = this.clients[index]!;
      try {
        const result = await new Promise<Res>((resolve, reject) => {
          const call = client.makeUnaryRequest(
            def.path,
            def.requestSerialize,
            def.responseDeserialize,
            request,
            this.metadata(node),
            { deadline: Date.now() + (options.timeoutMs ?? 15_000) },
            (error, value) => (error ? reject(error) : resolve(value as Res)),
          );
          options.signal?.addEventListener('abort', () => call.cancel(), { once: true });
        });
        this.current = index;
        return result;
      } catch (error) {
        lastError = error;
        const e = error as grpc.ServiceError;
        const connectionLevel =
          e.code === grpc.status.UNAVAILABLE && CONNECT_FAILURE.test(e.details ?? '') && !/dial tcp/.test(e.details ?? '');
        if (!connectionLevel)
          throw mapTalosError(error, { node: node ?? endpoint, endpoint, method: def.path, roles: this.material.roles });
        lastError = await this.diagnose(e, endpoint);
      }
    }
    throw mapTalosError(lastError, { node: node ?? this.endpoint, endpoint: this.endpoint, method: def.path, roles: this.material.roles });
  }

  /** Replaces grpc-js' bare "Failed to connect" with what the TLS handshake really said. */
  private async diagnose(error: grpc.ServiceError, endpoint: string): Promise<grpc.ServiceError> {
    if (!/no connection established|failed to connect/i.test(error.details ?? '')) return error;
    let cause = await probeTls(endpoint, this.secureContext);
    if (cause && /rejected the client certificate/.test(cause)) cause = explainRejection(this.material.certPem) ?? cause;
    return cause
      ? Object.assign(Object.create(Object.getPrototypeOf(error) as object) as grpc.ServiceError, error, { details: cause })
      : error;
  }

  /** A server stream to one node. `onMessage` runs per message; the promise settles when the stream ends. */
  stream<Req, Res>(
    def: MethodDef<Req, Res>,
    request: Req,
    node: string | null,
    onMessage: (message: Res) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const { client, endpoint } = this.clients[this.current]!;
    return new Promise<void>((resolve, reject) => {
      const call = client.makeServerStreamRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        this.metadata(node),
        {},
      );
      const onAbort = () => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      let failed = false;
      call.on('data', (message: Res) => onMessage(message));
      call.on('error', (error: grpc.ServiceError) => {
        failed = true;
        signal?.removeEventListener('abort', onAbort);
        void this.diagnose(error, endpoint).then((e) =>
          reject(mapTalosError(e, { node: node ?? endpoint, endpoint, method: def.path, roles: this.material.roles })),
        );
      });
      call.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        if (!failed) resolve();
      });
    });
  }

  close(): void {
    for (const { client } of this.clients) client.close();
  }
}
