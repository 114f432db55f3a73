import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../shared/errors';
import { writeFileAtomic } from './atomic-file';
import type { ValidatedIdentity } from './identity-validation';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (e, key) => (e ? reject(e) : resolve(key))));

const FORMAT = 'nodeglass-vault';
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

/** Protects the data key: with a passphrase (scrypt) or, in the desktop app, with the OS keyring (safeStorage). */
export interface KeyWrapper {
  kind: 'passphrase' | 'safe-storage';
  wrap(dataKey: Buffer): Promise<unknown>;
  unwrap(wrapped: unknown): Promise<Buffer>;
}

export type StoredIdentity = Omit<ValidatedIdentity, 'keyPem' | 'warnings'> & {
  id: string;
  name: string;
  cluster: string;
  key: Sealed;
  warnings: string[];
};

interface VaultFile {
  format: typeof FORMAT;
  version: 1;
  wrapping: { kind: KeyWrapper['kind']; wrapped: unknown };
  identities: StoredIdentity[];
}

function seal(key: Buffer, plaintext: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function unseal(key: Buffer, sealed: Sealed): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

/** Wraps the data key with a key derived from a passphrase (scrypt, AES-256-GCM). */
export function passphraseWrapper(passphrase: string): KeyWrapper {
  return {
    kind: 'passphrase',
    async wrap(dataKey) {
      const salt = randomBytes(16);
      const kek = await scrypt(passphrase, salt, 32, SCRYPT);
      try {
        return { salt: salt.toString('base64'), ...SCRYPT, sealed: seal(kek, dataKey) };
      } finally {
        kek.fill(0);
      }
    },
    async unwrap(wrapped) {
      const w = wrapped as { salt?: string; N?: number; r?: number; p?: number; sealed?: Sealed };
      if (!w?.salt || !w.sealed) throw new AppError('VAULT_CORRUPT', 'The vault file has no passphrase data; it may be damaged.');
      const kek = await scrypt(passphrase, Buffer.from(w.salt, 'base64'), 32, {
        N: w.N ?? SCRYPT.N,
        r: w.r ?? SCRYPT.r,
        p: w.p ?? SCRYPT.p,
        maxmem: SCRYPT.maxmem,
      });
      try {
        return unseal(kek, w.sealed);
      } catch {
        throw new AppError('VAULT_WRONG_PASSPHRASE', 'That passphrase does not unlock the vault. Nothing was changed; try again.');
      } finally {
        kek.fill(0);
      }
    },
  };
}

/**
 * The encrypted identity store. Metadata is kept readable; each private key is sealed with a random data
 * key, and the data key is wrapped by the KeyWrapper. The file is written atomically and a damaged or
 * foreign file is reported, never overwritten.
 */
export class Vault {
  private file: VaultFile | null = null;
  private dataKey: Buffer | null = null;
  private loadError: AppError | null = null;

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
      if (parsed.format !== FORMAT || parsed.version !== 1 || !Array.isArray(parsed.identities) || !parsed.wrapping)
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

  async create(wrapper: KeyWrapper): Promise<void> {
    if (this.loadError) throw this.loadError;
    if (this.file) throw new AppError('FAILED_PRECONDITION', 'The vault already exists; unlock it instead.');
    const dataKey = randomBytes(32);
    this.file = { format: FORMAT, version: 1, wrapping: { kind: wrapper.kind, wrapped: await wrapper.wrap(dataKey) }, identities: [] };
    this.dataKey = dataKey;
    await this.save();
  }

  async unlock(wrapper: KeyWrapper): Promise<void> {
    if (this.loadError) throw this.loadError;
    if (!this.file) throw new AppError('FAILED_PRECONDITION', 'There is no vault yet; set a passphrase first.');
    const key = await wrapper.unwrap(this.file.wrapping.wrapped);
    if (key.length !== 32) throw new AppError('VAULT_CORRUPT', 'The vault key has the wrong size; the file may be damaged.');
    this.dataKey = key;
  }

  lock(): void {
    this.dataKey?.fill(0);
    this.dataKey = null;
  }

  /** A key for another purpose (the audit seal), derived from the data key; null while locked. */
  deriveSecret(label: string): Buffer | null {
    return this.dataKey ? Buffer.from(hkdfSync('sha256', this.dataKey, Buffer.alloc(0), `nodeglass:${label}`, 32)) : null;
  }

  list(): StoredIdentity[] {
    return this.file?.identities.map((i) => ({ ...i })) ?? [];
  }

  private requireKey(): Buffer {
    if (this.loadError) throw this.loadError;
    if (!this.dataKey || !this.file) throw new AppError('VAULT_LOCKED', 'The vault is locked. Unlock it with your passphrase first.');
    return this.dataKey;
  }

  async add(entries: { identity: ValidatedIdentity; name: string; cluster: string }[]): Promise<StoredIdentity[]> {
    const key = this.requireKey();
    const added = entries.map(({ identity, name, cluster }) => {
      const { keyPem, ...meta } = identity;
      return { ...meta, id: randomUUID(), name, cluster, key: seal(key, Buffer.from(keyPem)) } satisfies StoredIdentity;
    });
    const next = { ...this.file!, identities: [...this.file!.identities, ...added] };
    await this.save(next);
    return added;
  }

  async update(id: string, change: Partial<Pick<StoredIdentity, 'name' | 'endpoints' | 'nodes'>>): Promise<StoredIdentity> {
    this.requireKey();
    const current = this.file!.identities.find((i) => i.id === id);
    if (!current) throw new AppError('IDENTITY_NOT_FOUND', 'That identity is no longer in the vault.');
    const updated = { ...current, ...change };
    await this.save({ ...this.file!, identities: this.file!.identities.map((i) => (i.id === id ? updated : i)) });
    return updated;
  }

  async remove(id: string): Promise<boolean> {
    this.requireKey();
    const before = this.file!.identities.length;
    await this.save({ ...this.file!, identities: this.file!.identities.filter((i) => i.id !== id) });
    return this.file!.identities.length < before;
  }

  /** Decrypts one private key for a connection; the caller must zero the buffer after use. */
  decryptKey(id: string): Buffer {
    const key = this.requireKey();
    const found = this.file!.identities.find((i) => i.id === id);
    if (!found) throw new AppError('IDENTITY_NOT_FOUND', 'That identity is no longer in the vault.');
    try {
      return unseal(key, found.key);
    } catch {
      throw new AppError('VAULT_CORRUPT', `The stored key of ${found.name} does not decrypt; the vault file may have been altered.`);
    }
  }

  private async save(next: VaultFile | null = this.file): Promise<void> {
    if (!next) return;
    await mkdir(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.filePath, JSON.stringify(next, null, 1));
    this.file = next;
  }
}
