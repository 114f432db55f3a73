import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IdentityColour, MintRecord } from '../shared/domain/identity';
import { AppError } from '../shared/errors';
import { writeFileAtomic } from './atomic-file';
import type { ValidatedIdentity } from './identity-validation';
import { checkScryptParams, SCRYPT, scrypt, seal, unseal, type ScryptParams, type Sealed } from './vault-crypto';

const FORMAT = 'nodeglass-vault';
/** Version 2 binds every sealed key to its identity's id and metadata (AES-GCM associated data). */
const VERSION = 2;

/** Protects the data key: with a passphrase (scrypt) or, in the desktop app, with the OS keyring (safeStorage). */
export interface KeyWrapper {
  kind: 'passphrase' | 'safe-storage';
  wrap(dataKey: Buffer): Promise<unknown>;
  unwrap(wrapped: unknown): Promise<Buffer>;
  /** Whether the stored wrapping is weaker than what `wrap` would write now (an older, cheaper scrypt). */
  outdated?(wrapped: unknown): boolean;
}

/** What Nodeglass adds to a certificate: its marking and, when Nodeglass minted it, how. Absent in older files. */
export interface IdentityMarks {
  label?: string | null;
  colour?: IdentityColour | null;
  readOnly?: boolean;
  minted?: MintRecord | null;
}

export type StoredIdentity = Omit<ValidatedIdentity, 'keyPem' | 'warnings'> &
  IdentityMarks & {
    id: string;
    name: string;
    cluster: string;
    key: Sealed;
    warnings: string[];
  };

/** The fields a user may change on a stored identity. */
export type IdentityChange = Partial<Pick<StoredIdentity, 'name' | 'endpoints' | 'nodes' | 'label' | 'colour' | 'readOnly'>>;

export interface NewIdentity {
  identity: ValidatedIdentity;
  name: string;
  cluster: string;
  marks?: IdentityMarks;
}

interface VaultFile {
  format: typeof FORMAT;
  version: 1 | 2;
  wrapping: { kind: KeyWrapper['kind']; wrapped: unknown };
  identities: StoredIdentity[];
  /** Ed25519 keys the vault signs with (evidence packs), by purpose: the public key readable, the private key sealed. */
  signingKeys?: Record<string, { publicPem: string; createdAt: string; key: Sealed }>;
}

/** The associated data of a sealed signing key: its purpose and public key, so it cannot be swapped. */
const signingBinding = (purpose: string, publicPem: string) => Buffer.from(`nodeglass-signing-key\n${purpose}\n${publicPem}`);

/**
 * The associated data of a sealed key: the identity's id and every metadata field, in a fixed order. Moving a
 * key to another identity, or editing roles, certificate, endpoints or name in the file, makes it fail to open.
 */
export function keyBinding(identity: Omit<StoredIdentity, 'key'> & { key?: unknown }): Buffer {
  const { key: _key, ...meta } = identity;
  const ordered = Object.fromEntries(Object.entries(meta).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Buffer.from(`nodeglass-vault-key\nv${VERSION}\n${JSON.stringify(ordered)}`);
}

/** Wraps the data key with a key derived from a passphrase (scrypt, AES-256-GCM). Tests may pass a cheaper cost. */
export function passphraseWrapper(passphrase: string, cost: ScryptParams = SCRYPT): KeyWrapper {
  return {
    kind: 'passphrase',
    async wrap(dataKey) {
      const salt = randomBytes(16);
      const kek = await scrypt(passphrase, salt, cost);
      try {
        return { salt: salt.toString('base64'), ...cost, sealed: seal(kek, dataKey) };
      } finally {
        kek.fill(0);
      }
    },
    async unwrap(wrapped) {
      const w = wrapped as { salt?: unknown; N?: number; r?: number; p?: number; sealed?: Sealed };
      if (typeof w?.salt !== 'string' || !w.sealed)
        throw new AppError('VAULT_CORRUPT', 'The vault file has no passphrase data; it may be damaged.');
      const salt = Buffer.from(w.salt, 'base64');
      const kek = await scrypt(passphrase, salt, checkScryptParams(w, salt));
      try {
        return unseal(kek, w.sealed);
      } catch {
        throw new AppError('VAULT_WRONG_PASSPHRASE', 'That passphrase does not unlock the vault. Nothing was changed; try again.');
      } finally {
        kek.fill(0);
      }
    },
    outdated(wrapped) {
      const w = wrapped as { N?: number; r?: number };
      return (w?.N ?? 0) < cost.N || (w?.r ?? 0) < cost.r;
    },
  };
}

const TAMPERED =
  'The stored data of this identity was changed outside Nodeglass (its key no longer matches its certificate, roles or name), so it cannot be used. Remove it and import it again.';

/**
 * The encrypted identity store. Metadata is kept readable; each private key is sealed with a random data
 * key, bound to its identity, and the data key is wrapped by the KeyWrapper. Every change goes through one
 * write queue and is written atomically; a damaged or foreign file is reported, never overwritten.
 */
export class Vault {
  private file: VaultFile | null = null;
  private dataKey: Buffer | null = null;
  private loadError: AppError | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  /** Identities whose sealed key failed to open with their metadata at unlock. */
  private tampered = new Set<string>();

  constructor(readonly filePath: string) {}

  async load(): Promise<'missing' | 'present'> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<VaultFile>;
      if (
        parsed.format !== FORMAT ||
        (parsed.version !== 1 && parsed.version !== 2) ||
        !Array.isArray(parsed.identities) ||
        !parsed.wrapping
      )
        throw new Error('not a Nodeglass vault');
      this.file = parsed as VaultFile;
      this.loadError = null;
      return 'present';
    } catch (error) {
      this.loadError = new AppError(
        'VAULT_CORRUPT',
        `The identity store ${this.filePath} is damaged or not a Nodeglass vault (${(error as Error).message}). It was left untouched; move it aside to start a new one.`,
      );
      throw this.loadError;
    }
  }

  get exists(): boolean {
    return this.file !== null;
  }

  get unlocked(): boolean {
    return this.dataKey !== null;
  }

  get wrapperKind(): KeyWrapper['kind'] | null {
    return this.file?.wrapping.kind ?? null;
  }

  /** Runs one change at a time, each on the state the previous one left, and saves it. */
  private change<T>(apply: (file: VaultFile) => Promise<{ next: VaultFile; value: T }> | { next: VaultFile; value: T }): Promise<T> {
    const run = this.writes.then(async () => {
      if (this.loadError) throw this.loadError;
      if (!this.file) throw new AppError('FAILED_PRECONDITION', 'There is no vault yet; set a passphrase first.');
      const { next, value } = await apply(this.file);
      await this.save(next);
      return value;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  async create(wrapper: KeyWrapper): Promise<void> {
    const run = this.writes.then(async () => {
      if (this.loadError) throw this.loadError;
      if (this.file) throw new AppError('FAILED_PRECONDITION', 'The vault already exists; unlock it instead.');
      const dataKey = randomBytes(32);
      const file: VaultFile = {
        format: FORMAT,
        version: VERSION,
        wrapping: { kind: wrapper.kind, wrapped: await wrapper.wrap(dataKey) },
        identities: [],
      };
      await this.save(file);
      this.setKey(dataKey);
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  /**
   * Opens the data key, checks every identity's key against its metadata, and upgrades the file when it
   * was written by an older version (keys without binding, a cheaper scrypt).
   */
  async unlock(wrapper: KeyWrapper): Promise<void> {
    if (this.loadError) throw this.loadError;
    if (!this.file) throw new AppError('FAILED_PRECONDITION', 'There is no vault yet; set a passphrase first.');
    const key = await wrapper.unwrap(this.file.wrapping.wrapped);
    if (key.length !== 32) {
      key.fill(0);
      throw new AppError('VAULT_CORRUPT', 'The vault key has the wrong size; the file may be damaged.');
    }
    this.setKey(key);
    const upgrade =
      this.file.version < VERSION || (wrapper.kind === this.file.wrapping.kind && wrapper.outdated?.(this.file.wrapping.wrapped));
    if (upgrade) await this.upgrade(wrapper);
  }

  private setKey(key: Buffer): void {
    if (this.dataKey && this.dataKey !== key) this.dataKey.fill(0);
    this.dataKey = key;
    this.tampered = new Set(this.file?.identities.filter((i) => !this.opens(i)).map((i) => i.id));
  }

  private opens(identity: StoredIdentity): boolean {
    try {
      unseal(this.dataKey!, identity.key, this.file!.version >= 2 ? keyBinding(identity) : undefined).fill(0);
      return true;
    } catch {
      return false;
    }
  }

  private upgrade(wrapper: KeyWrapper): Promise<void> {
    return this.change(async (file) => {
      const key = this.dataKey!;
      const identities = file.identities.map((i) => {
        if (file.version >= 2 || this.tampered.has(i.id)) return i;
        const plain = unseal(key, i.key);
        try {
          return { ...i, key: seal(key, plain, keyBinding(i)) };
        } finally {
          plain.fill(0);
        }
      });
      const wrapping = wrapper.outdated?.(file.wrapping.wrapped) ? { kind: wrapper.kind, wrapped: await wrapper.wrap(key) } : file.wrapping;
      return { next: { ...file, version: VERSION, wrapping, identities }, value: undefined };
    });
  }

  lock(): void {
    this.dataKey?.fill(0);
    this.dataKey = null;
  }

  /** A key for another purpose (the audit seal), derived from the data key; null while locked. */
  deriveSecret(label: string): Buffer | null {
    return this.dataKey ? Buffer.from(hkdfSync('sha256', this.dataKey, Buffer.alloc(0), `nodeglass:${label}`, 32)) : null;
  }

  /** The public key of a signing key, or null before it is first used (readable while locked). */
  signingPublicKey(purpose: string): string | null {
    return this.file?.signingKeys?.[purpose]?.publicPem ?? null;
  }

  /**
   * The vault's Ed25519 signing key for a purpose: generated once, on first use, and kept sealed under the
   * data key. The private key object lives only as long as the caller holds it.
   */
  async signingKey(purpose: string): Promise<{ privateKey: KeyObject; publicPem: string }> {
    const key = this.requireKey();
    const open = (stored: { publicPem: string; key: Sealed }) => {
      let der: Buffer;
      try {
        der = unseal(key, stored.key, signingBinding(purpose, stored.publicPem));
      } catch {
        throw new AppError('VAULT_CORRUPT', `The ${purpose} signing key in the vault was changed outside Nodeglass and cannot be used.`);
      }
      try {
        return { privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), publicPem: stored.publicPem };
      } finally {
        der.fill(0);
      }
    };
    const existing = this.file?.signingKeys?.[purpose];
    if (existing) return open(existing);
    return this.change((file) => {
      const present = file.signingKeys?.[purpose];
      if (present) return { next: file, value: open(present) };
      const pair = generateKeyPairSync('ed25519');
      const publicPem = createPublicKey(pair.privateKey).export({ format: 'pem', type: 'spki' }).toString();
      const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
      const sealed = seal(key, der, signingBinding(purpose, publicPem));
      der.fill(0);
      const entry = { publicPem, createdAt: new Date().toISOString(), key: sealed };
      return {
        next: { ...file, signingKeys: { ...file.signingKeys, [purpose]: entry } },
        value: { privateKey: pair.privateKey, publicPem },
      };
    });
  }

  list(): StoredIdentity[] {
    return (
      this.file?.identities.map((i) => ({ ...i, warnings: this.tampered.has(i.id) ? [TAMPERED, ...i.warnings] : [...i.warnings] })) ?? []
    );
  }

  private requireKey(): Buffer {
    if (this.loadError) throw this.loadError;
    if (!this.dataKey || !this.file) throw new AppError('VAULT_LOCKED', 'The vault is locked. Unlock it with your passphrase first.');
    return this.dataKey;
  }

  async add(entries: NewIdentity[]): Promise<StoredIdentity[]> {
    const key = this.requireKey();
    return this.change((file) => {
      const added = entries.map(({ identity, name, cluster, marks }) => {
        const { keyPem, ...meta } = identity;
        const record = { ...meta, ...marks, id: randomUUID(), name, cluster };
        return { ...record, key: seal(key, Buffer.from(keyPem), keyBinding(record)) } satisfies StoredIdentity;
      });
      return { next: { ...file, identities: [...file.identities, ...added] }, value: added };
    });
  }

  /** Changes metadata and re-seals the key under the new binding. */
  async update(id: string, change: IdentityChange): Promise<StoredIdentity> {
    const key = this.requireKey();
    return this.change((file) => {
      const current = file.identities.find((i) => i.id === id);
      if (!current) throw new AppError('IDENTITY_NOT_FOUND', 'That identity is no longer in the vault.');
      const plain = this.openKey(current);
      try {
        const { key: _old, ...meta } = current;
        const record = { ...meta, ...change };
        const updated = { ...record, key: seal(key, plain, keyBinding(record)) };
        return { next: { ...file, identities: file.identities.map((i) => (i.id === id ? updated : i)) }, value: updated };
      } finally {
        plain.fill(0);
      }
    });
  }

  /**
   * Swaps an identity's certificate and key for a renewed pair in one write, keeping its id, name, endpoints,
   * nodes and marks, so nothing that refers to it changes.
   */
  async replace(id: string, identity: ValidatedIdentity, minted: MintRecord | null): Promise<StoredIdentity> {
    const key = this.requireKey();
    return this.change((file) => {
      const current = file.identities.find((i) => i.id === id);
      if (!current) throw new AppError('IDENTITY_NOT_FOUND', 'That identity is no longer in the vault.');
      const { keyPem, context: _context, endpoints: _endpoints, nodes: _nodes, warnings: _warnings, ...cert } = identity;
      const { key: _old, ...meta } = current;
      const record = { ...meta, ...cert, minted, warnings: [] };
      const updated: StoredIdentity = { ...record, key: seal(key, Buffer.from(keyPem), keyBinding(record)) };
      this.tampered.delete(id);
      return { next: { ...file, identities: file.identities.map((i) => (i.id === id ? updated : i)) }, value: updated };
    });
  }

  async remove(id: string): Promise<boolean> {
    this.requireKey();
    return this.change((file) => {
      const identities = file.identities.filter((i) => i.id !== id);
      this.tampered.delete(id);
      return { next: { ...file, identities }, value: identities.length < file.identities.length };
    });
  }

  private openKey(identity: StoredIdentity): Buffer {
    const key = this.requireKey();
    if (this.tampered.has(identity.id)) throw new AppError('VAULT_CORRUPT', `${identity.name}: ${TAMPERED}`);
    try {
      return unseal(key, identity.key, this.file!.version >= 2 ? keyBinding(identity) : undefined);
    } catch {
      throw new AppError('VAULT_CORRUPT', `${identity.name}: ${TAMPERED}`);
    }
  }

  /** Decrypts one private key for a connection; the caller must zero the buffer after use. */
  decryptKey(id: string): Buffer {
    this.requireKey();
    const found = this.file!.identities.find((i) => i.id === id);
    if (!found) throw new AppError('IDENTITY_NOT_FOUND', 'That identity is no longer in the vault.');
    return this.openKey(found);
  }

  private async save(next: VaultFile): Promise<void> {
    await mkdir(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.filePath, JSON.stringify(next, null, 1));
    this.file = next;
  }
}
