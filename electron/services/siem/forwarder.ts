import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { AuditEntry } from '../../../shared/domain/audit';
import type { SiemConfig, SiemStatus } from '../../../shared/domain/siem';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../../certs/atomic-file';
import { seal, unseal, type Sealed } from '../../../certs/vault-crypto';
import { formatEntry, frame } from './rfc5424';

interface StoredConfig {
  enabled: boolean;
  host: string;
  port: number;
  caPem: string;
  clientCertPem: string | null;
  clientKey: Sealed | null;
}

export interface ForwarderDeps {
  dir: string;
  /** Every entry of the trail, oldest first (the trail itself is the durable queue). */
  entries: () => Promise<AuditEntry[]>;
  /** A vault-derived key that seals the client key at rest; null while the vault is locked. */
  secret: () => Buffer | null;
  onChange?: (status: SiemStatus) => void;
  /** How long a connection must stay up after a write before its entries count as delivered. */
  confirmAfterMs?: number;
  retryMs?: { min: number; max: number };
}

/**
 * Forwards each audit entry to a syslog collector (RFC 5424 over TLS, RFC 5425 framing), in order and at
 * least once. The queue is the trail itself plus a cursor (`siem-cursor.json`, the last confirmed sequence
 * number, written atomically), so it survives restarts and crashes. TLS has no delivery receipts, so
 * entries count as delivered only once the connection has stayed up `confirmAfterMs` after they were
 * written; on any error the unconfirmed ones are sent again on the next connection (the collector can drop
 * duplicates by the `seq`/`hash` structured data).
 */
export class SiemForwarder {
  private config: StoredConfig | null = null;
  private pending: AuditEntry[] = [];
  private confirmedSeq = 0;
  private state: SiemStatus['state'] = 'off';
  private lastError: string | null = null;
  private lastSentAt: string | null = null;
  private socket: tls.TLSSocket | null = null;
  private inFlight = 0;
  private confirmTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay: number;
  private loaded: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: ForwarderDeps) {
    this.retryDelay = deps.retryMs?.min ?? 1000;
  }

  private get configFile() {
    return path.join(this.deps.dir, 'siem.json');
  }
  private get cursorFile() {
    return path.join(this.deps.dir, 'siem-cursor.json');
  }

  /** Loads config and cursor, queues what the trail holds beyond the cursor, and connects if enabled. */
  start(): Promise<void> {
    this.loaded ??= (async () => {
      this.config = await readFile(this.configFile, 'utf8').then(
        (t) => JSON.parse(t) as StoredConfig,
        () => null,
      );
      this.confirmedSeq = await readFile(this.cursorFile, 'utf8').then(
        (t) => Number((JSON.parse(t) as { confirmedSeq?: number }).confirmedSeq ?? 0),
        () => 0,
      );
      await this.reloadPending();
      this.kick();
    })();
    return this.loaded;
  }

  private async reloadPending(): Promise<void> {
    const all = await this.deps.entries().catch(() => [] as AuditEntry[]);
    this.pending = all.filter((e) => e.seq > this.confirmedSeq);
  }

  status(): SiemStatus {
    const c = this.config;
    return {
      configured: c !== null,
      enabled: c?.enabled ?? false,
      host: c?.host ?? null,
      port: c?.port ?? null,
      hasClientCert: Boolean(c?.clientCertPem && c.clientKey),
      state: this.state,
      backlog: this.pending.length,
      lastSentSeq: this.confirmedSeq || null,
      lastSentAt: this.lastSentAt,
      lastError: this.lastError,
    };
  }

  private changed(): void {
    this.deps.onChange?.(this.status());
  }

  async configure(input: SiemConfig): Promise<SiemStatus> {
    await this.start();
    if (!/-----BEGIN CERTIFICATE-----/.test(input.caPem))
      throw new AppError('INVALID_ARGUMENT', 'The CA must be a PEM certificate (-----BEGIN CERTIFICATE-----).');
    let clientKey = this.config?.clientKey ?? null;
    if (input.clientKeyPem) {
      const secret = this.deps.secret();
      if (!secret) throw new AppError('VAULT_LOCKED', 'The client key is kept sealed in the vault; unlock the vault first.');
      try {
        clientKey = seal(secret, Buffer.from(input.clientKeyPem));
      } finally {
        secret.fill(0);
      }
    }
    if (!input.clientCertPem) clientKey = null;
    if (input.clientCertPem && !clientKey) throw new AppError('INVALID_ARGUMENT', 'A client certificate needs its private key.');
    this.config = {
      enabled: input.enabled,
      host: input.host,
      port: input.port,
      caPem: input.caPem,
      clientCertPem: input.clientCertPem,
      clientKey,
    };
    await writeFileAtomic(this.configFile, JSON.stringify(this.config));
    this.disconnect();
    this.lastError = null;
    this.retryDelay = this.deps.retryMs?.min ?? 1000;
    this.kick();
    this.changed();
    return this.status();
  }

  /** A new entry was written to the trail. */
  enqueue(entry: AuditEntry): void {
    if (entry.seq <= this.confirmedSeq || this.pending.some((e) => e.seq === entry.seq)) return;
    this.pending.push(entry);
    this.pending.sort((a, b) => a.seq - b.seq);
    this.kick();
    this.changed();
  }

  private kick(): void {
    if (this.stopped || !this.config?.enabled) {
      if (!this.config?.enabled) this.state = 'off';
      return;
    }
    if (this.socket) return void this.flush();
    if (this.retryTimer) return;
    this.connect();
  }

  private connect(): void {
    const c = this.config!;
    let key: Buffer | undefined;
    if (c.clientCertPem && c.clientKey) {
      const secret = this.deps.secret();
      if (!secret) return this.fail(new Error('the vault is locked, so the client key cannot be opened'));
      try {
        key = unseal(secret, c.clientKey);
      } catch {
        return this.fail(new Error('the stored client key does not open with this vault'));
      } finally {
        secret.fill(0);
      }
    }
    this.state = 'connecting';
    this.changed();
    const socket = tls.connect({
      host: c.host,
      port: c.port,
      ca: c.caPem,
      cert: c.clientCertPem ?? undefined,
      key,
      servername: isIP(c.host) ? undefined : c.host,
      minVersion: 'TLSv1.2',
    });
    key?.fill(0);
    this.socket = socket;
    socket.setKeepAlive(true, 10_000);
    socket.once('secureConnect', () => {
      this.state = 'connected';
      this.lastError = null;
      this.retryDelay = this.deps.retryMs?.min ?? 1000;
      this.changed();
      this.flush();
    });
    socket.on('data', () => undefined);
    socket.once('error', (error) => this.fail(error));
    socket.once('close', () => {
      if (this.socket === socket) this.fail(new Error('the collector closed the connection'));
    });
  }

  /** Writes every pending entry not yet on this connection, in order; confirmation follows after a quiet period. */
  private flush(): void {
    const socket = this.socket;
    if (!socket || this.state !== 'connected') return;
    while (this.inFlight < this.pending.length) {
      const entry = this.pending[this.inFlight]!;
      socket.write(frame(formatEntry(entry)));
      this.inFlight += 1;
    }
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    if (this.inFlight > 0) this.confirmTimer = setTimeout(() => void this.confirm(socket), this.deps.confirmAfterMs ?? 2000);
  }

  private async confirm(socket: tls.TLSSocket): Promise<void> {
    if (this.socket !== socket || this.inFlight === 0) return;
    const done = this.pending.splice(0, this.inFlight);
    this.inFlight = 0;
    this.confirmedSeq = done.at(-1)!.seq;
    this.lastSentAt = new Date().toISOString();
    await writeFileAtomic(this.cursorFile, JSON.stringify({ confirmedSeq: this.confirmedSeq })).catch((error: Error) => {
      this.lastError = `The forwarding cursor could not be saved (${error.message}); entries may be sent again after a restart.`;
    });
    this.changed();
    if (this.pending.length) this.flush();
  }

  private fail(error: Error): void {
    this.disconnect();
    if (this.stopped || !this.config?.enabled) return;
    this.state = 'waiting';
    this.lastError = `${this.config.host}:${this.config.port}: ${error.message}. Entries wait in the queue and are sent when the collector is back.`;
    this.changed();
    const delay = this.retryDelay;
    this.retryDelay = Math.min(delay * 2, this.deps.retryMs?.max ?? 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
  }

  private disconnect(): void {
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = null;
    this.inFlight = 0;
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  stop(): void {
    this.stopped = true;
    this.disconnect();
  }
}
