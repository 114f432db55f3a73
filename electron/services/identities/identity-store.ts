import type { IdentitySummary } from '../../../shared/domain/identity';
import { AppError } from '../../../shared/errors';
import type { MintRecord } from '../../../shared/domain/identity';
import type { ValidatedIdentity } from '../../../certs/identity-validation';
import { uniqueName } from '../../../certs/talosconfig-import';
import type { IdentityChange, NewIdentity } from '../../../certs/vault';
import type { ConnectionMaterial } from '../../talos/connection';
import { clusterOf, summarize, type IdentityMeta } from './identity-summary';
import type { VaultAccess } from './vault-access';

/** Which identities an on-call shift has locked (see shift/shift-state.ts); none without a shift. */
export interface LockCheck {
  ready(): Promise<void>;
  isLocked(id: string): boolean;
}

const noLocks: LockCheck = { ready: async () => undefined, isLocked: () => false };

/** Every identity the app knows: those in the vault plus the practice cluster's, which live in memory only. */
export class IdentityStore {
  private practice = new Map<string, { meta: IdentityMeta; keyPem: string }>();

  constructor(
    private readonly access: VaultAccess,
    private readonly now: () => number = Date.now,
    private readonly locks: LockCheck = noLocks,
  ) {}

  async list(): Promise<IdentitySummary[]> {
    await Promise.all([this.access.ready(), this.locks.ready()]);
    return [...this.practice.values()].map((p) => this.summary(p.meta)).concat(this.access.vault.list().map((i) => this.summary(i)));
  }

  async summaryOf(id: string): Promise<IdentitySummary> {
    await this.locks.ready();
    return this.summary(await this.meta(id));
  }

  private summary(meta: IdentityMeta): IdentitySummary {
    return summarize(meta, this.practice.has(meta.id), this.now(), this.locks.isLocked(meta.id));
  }

  async meta(id: string): Promise<IdentityMeta> {
    await this.access.ready();
    const meta = this.practice.get(id)?.meta ?? this.access.vault.list().find((i) => i.id === id);
    if (!meta) throw new AppError('IDENTITY_NOT_FOUND', 'That identity no longer exists. Pick another one.');
    return meta;
  }

  /** Connection material for the main process only; the key buffer must be zeroed by the caller. */
  async material(id: string): Promise<ConnectionMaterial> {
    const meta = await this.meta(id);
    const practice = this.practice.get(id);
    const keyPem = practice ? Buffer.from(practice.keyPem) : this.access.vault.decryptKey(id);
    return { context: meta.name, endpoints: meta.endpoints, roles: meta.roles, caPem: meta.caPem, certPem: meta.certPem, keyPem };
  }

  /** Stores validated identities in the vault under names that are free. */
  async add(entries: NewIdentity[]): Promise<IdentityMeta[]> {
    await this.access.ready();
    return (await this.access.vault.add(entries)).map(({ key: _key, ...meta }) => meta);
  }

  /** Minting writes a key into the vault, so it is refused before the node is asked when the vault cannot take it. */
  async requireWritable(): Promise<void> {
    await this.access.ready();
    const vault = this.access.vault;
    if (!vault.exists)
      throw new AppError('VAULT_LOCKED', 'Create the vault first (Identities): a minted key goes straight into it and nowhere else.');
    if (!vault.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock the vault first: a minted key goes straight into it and nowhere else.');
  }

  /** A name no other identity has: `reader@lab`, else `reader@lab-1`… (as imports name them). */
  async freeName(wanted: string): Promise<string> {
    return uniqueName(wanted, new Set((await this.list()).map((i) => i.name)));
  }

  /** Label, colour and read-only; practice identities keep them in memory. */
  async mark(id: string, change: Pick<IdentityChange, 'label' | 'colour' | 'readOnly'>): Promise<IdentitySummary> {
    return this.change(id, change);
  }

  /** Puts a renewed certificate and key in place of the old ones (same id, name, endpoints, nodes and marks). */
  async replace(id: string, identity: ValidatedIdentity, minted: MintRecord | null): Promise<IdentitySummary> {
    await this.access.ready();
    const practice = this.practice.get(id);
    if (practice) {
      const { keyPem, context: _c, endpoints: _e, nodes: _n, warnings: _w, ...cert } = identity;
      this.practice.set(id, { meta: { ...practice.meta, ...cert, minted, warnings: [] }, keyPem });
      return this.summary(this.practice.get(id)!.meta);
    }
    return this.summary(await this.access.vault.replace(id, identity, minted));
  }

  async rename(id: string, name: string): Promise<IdentitySummary> {
    const taken = (await this.list()).some((i) => i.name === name && i.id !== id);
    if (taken) throw new AppError('INVALID_ARGUMENT', `Another identity is already named "${name}".`);
    return this.change(id, { name });
  }

  async update(id: string, endpoints: string[], nodes: string[]): Promise<IdentitySummary> {
    return this.change(id, { endpoints, nodes });
  }

  async remove(id: string): Promise<boolean> {
    await this.access.ready();
    if (this.practice.delete(id)) return true;
    return this.access.vault.remove(id);
  }

  /** Replaces the practice identities with those of a freshly started lab (or none when it stops). */
  setPractice(identities: ValidatedIdentity[]): void {
    this.practice.clear();
    for (const identity of identities) {
      const { keyPem, ...rest } = identity;
      const id = `practice:${identity.context}`;
      this.practice.set(id, { meta: { ...rest, id, name: `practice ${identity.context}`, cluster: clusterOf(identity.context) }, keyPem });
    }
  }

  private async change(id: string, change: IdentityChange): Promise<IdentitySummary> {
    await Promise.all([this.access.ready(), this.locks.ready()]);
    const practice = this.practice.get(id);
    if (practice) {
      practice.meta = { ...practice.meta, ...change };
      return this.summary(practice.meta);
    }
    const { key: _key, ...meta } = await this.access.vault.update(id, change);
    return this.summary(meta);
  }
}
