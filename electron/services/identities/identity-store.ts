import type { IdentitySummary } from '../../../shared/domain/identity';
import { AppError } from '../../../shared/errors';
import type { ValidatedIdentity } from '../../../certs/identity-validation';
import type { ConnectionMaterial } from '../../talos/connection';
import { clusterOf, summarize, type IdentityMeta } from './identity-summary';
import type { VaultAccess } from './vault-access';

type Editable = Partial<Pick<IdentityMeta, 'name' | 'endpoints' | 'nodes'>>;

/** Every identity the app knows: those in the vault plus the practice cluster's, which live in memory only. */
export class IdentityStore {
  private practice = new Map<string, { meta: IdentityMeta; keyPem: string }>();

  constructor(
    private readonly access: VaultAccess,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<IdentitySummary[]> {
    await this.access.ready();
    const now = this.now();
    return [
      ...[...this.practice.values()].map((p) => summarize(p.meta, true, now)),
      ...this.access.vault.list().map((i) => summarize(i, false, now)),
    ];
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
  async add(entries: { identity: ValidatedIdentity; name: string; cluster: string }[]): Promise<void> {
    await this.access.ready();
    await this.access.vault.add(entries);
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

  private async change(id: string, change: Editable): Promise<IdentitySummary> {
    await this.access.ready();
    const practice = this.practice.get(id);
    if (practice) {
      practice.meta = { ...practice.meta, ...change };
      return summarize(practice.meta, true, this.now());
    }
    return summarize(await this.access.vault.update(id, change), false, this.now());
  }
}
