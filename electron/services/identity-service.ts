import { readFile, stat } from 'node:fs/promises';
import { b64, stringifyTalosconfig } from '../../certs/talosconfig';
import { writeFileAtomic } from '../../certs/atomic-file';
import os from 'node:os';
import path from 'node:path';
import type { DiscoveredConfig, IdentitySummary, ImportPreview, ImportReport, VaultStatus } from '../../shared/domain/identity';
import { AppError } from '../../shared/errors';
import type { ValidatedIdentity } from '../../certs/identity-validation';
import { MAX_TALOSCONFIG_BYTES, parseTalosconfig, uniqueName } from '../../certs/talosconfig-import';
import { passphraseWrapper, Vault, type KeyWrapper, type StoredIdentity } from '../../certs/vault';
import type { ConnectionMaterial } from '../talos/connection';

const DAY = 86_400_000;

type Meta = Omit<StoredIdentity, 'key'>;

export function summarize(meta: Meta, practice: boolean, now: number): IdentitySummary {
  const notAfter = Date.parse(meta.notAfter);
  const daysLeft = (notAfter - now) / DAY;
  const expiry =
    now < Date.parse(meta.notBefore)
      ? 'not-yet-valid'
      : daysLeft < 0
        ? 'expired'
        : daysLeft <= 7
          ? 'imminent'
          : daysLeft <= 30
            ? 'soon'
            : 'ok';
  return {
    id: meta.id,
    name: meta.name,
    cluster: meta.cluster,
    endpoints: meta.endpoints,
    nodes: meta.nodes,
    subject: meta.subject,
    issuer: meta.issuer,
    roles: meta.roles,
    fingerprint: meta.fingerprint,
    keyAlgorithm: meta.keyAlgorithm,
    notBefore: meta.notBefore,
    notAfter: meta.notAfter,
    expiry,
    daysLeft,
    practice,
    warnings: meta.warnings,
  };
}

export interface IdentityServiceOptions {
  vaultPath: string;
  /** Desktop passes a safeStorage wrapper when the OS keyring is usable; browser mode uses passphrases. */
  keyringWrapper?: KeyWrapper | null;
  keyringNote?: string | null;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Identities: the encrypted vault plus the practice cluster's identities, which live in memory only. */
export class IdentityService {
  readonly vault: Vault;
  private practice = new Map<string, { meta: Meta; keyPem: string }>();
  private loaded: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: IdentityServiceOptions) {
    this.vault = new Vault(options.vaultPath);
    this.now = options.now ?? Date.now;
  }

  private async ready(): Promise<void> {
    this.loaded ??= this.vault
      .load()
      .then(async (state) => {
        if (state === 'present' && this.vault.wrapperKind === 'safe-storage' && this.options.keyringWrapper)
          await this.vault.unlock(this.options.keyringWrapper);
      })
      .catch((error: unknown) => {
        this.loaded = null;
        throw error;
      });
    return this.loaded;
  }

  async status(): Promise<VaultStatus> {
    await this.ready();
    const mode = this.vault.wrapperKind ?? (this.options.keyringWrapper ? 'safe-storage' : 'passphrase');
    const state = !this.vault.exists ? 'uninitialized' : this.vault.unlocked ? 'unlocked' : 'locked';
    return { mode, state, note: this.options.keyringNote ?? null };
  }

  async setup(passphrase: string | null): Promise<VaultStatus> {
    await this.ready();
    const wrapper = passphrase ? passphraseWrapper(passphrase) : this.options.keyringWrapper;
    if (!wrapper)
      throw new AppError('VAULT_INSECURE_BACKEND', 'No OS keyring is available here; choose a passphrase to protect your keys.');
    await this.vault.create(wrapper);
    return this.status();
  }

  async unlock(passphrase: string): Promise<VaultStatus> {
    await this.ready();
    await this.vault.unlock(passphraseWrapper(passphrase));
    return this.status();
  }

  async lock(): Promise<VaultStatus> {
    this.vault.lock();
    return this.status();
  }

  async list(): Promise<IdentitySummary[]> {
    await this.ready();
    const now = this.now();
    return [
      ...[...this.practice.values()].map((p) => summarize(p.meta, true, now)),
      ...this.vault.list().map((i) => summarize(i, false, now)),
    ];
  }

  preview(yaml: string): ImportPreview {
    const parsed = parseTalosconfig(yaml, new Date(this.now()));
    return {
      current: parsed.current,
      contexts: parsed.contexts.map((c) => ({
        name: c.name,
        roles: c.roles,
        endpoints: c.endpoints,
        notAfter: c.notAfter,
        problems: c.problems,
        warnings: c.warnings,
      })),
    };
  }

  /** Imports chosen (or all) contexts. Nothing is stored unless every chosen context validated. */
  async importYaml(yaml: string, chosen: string[] | null): Promise<ImportReport> {
    await this.ready();
    const parsed = parseTalosconfig(yaml, new Date(this.now()));
    const names = chosen ?? parsed.contexts.map((c) => c.name);
    const unknown = names.filter((n) => !parsed.contexts.some((c) => c.name === n));
    if (unknown.length) throw new AppError('IDENTITY_INVALID', `The file has no context named ${unknown.map((n) => `"${n}"`).join(', ')}.`);
    const picked = parsed.contexts.filter((c) => names.includes(c.name));
    const broken = picked.filter((c) => !c.identity);
    if (broken.length) throw new AppError('IDENTITY_INVALID', `Nothing was imported. ${broken.flatMap((c) => c.problems).join(' ')}`);
    const taken = new Set((await this.list()).map((i) => i.name));
    const entries = picked.map((c) => {
      const name = uniqueName(c.name, taken);
      taken.add(name);
      return { identity: c.identity!, name, cluster: clusterOf(c.name) };
    });
    await this.vault.add(entries);
    return {
      imported: entries.map((e) => ({ context: e.identity.context, name: e.name, renamed: e.name !== e.identity.context })),
      warnings: [
        ...entries
          .filter((e) => e.name !== e.identity.context)
          .map((e) => `A context named "${e.identity.context}" already existed, so this one was imported as "${e.name}".`),
        ...picked.flatMap((c) => c.warnings),
      ],
    };
  }

  async importPath(file: string, chosen: string[] | null): Promise<ImportReport> {
    return this.importYaml(await readTalosconfigFile(file), chosen);
  }

  /** Offers `$TALOSCONFIG` and `~/.talos/config` when they exist; never imports them by itself. */
  async discover(): Promise<DiscoveredConfig[]> {
    const env = this.options.env ?? process.env;
    const candidates: { path: string; source: DiscoveredConfig['source'] }[] = [];
    if (env.TALOSCONFIG) candidates.push({ path: path.resolve(env.TALOSCONFIG), source: 'TALOSCONFIG' });
    candidates.push({ path: path.join(this.options.home ?? os.homedir(), '.talos', 'config'), source: 'home' });
    const found: DiscoveredConfig[] = [];
    for (const c of candidates) {
      try {
        await stat(c.path);
      } catch {
        continue;
      }
      try {
        const parsed = parseTalosconfig(await readTalosconfigFile(c.path), new Date(this.now()));
        found.push({ ...c, contexts: parsed.contexts.map((x) => x.name), error: null });
      } catch (error) {
        found.push({ ...c, contexts: [], error: error instanceof Error ? error.message : String(error) });
      }
    }
    return found;
  }

  async rename(id: string, name: string): Promise<IdentitySummary> {
    const taken = (await this.list()).some((i) => i.name === name && i.id !== id);
    if (taken) throw new AppError('INVALID_ARGUMENT', `Another identity is already named "${name}".`);
    return this.updateMeta(id, { name });
  }

  async update(id: string, endpoints: string[], nodes: string[]): Promise<IdentitySummary> {
    return this.updateMeta(id, { endpoints, nodes });
  }

  private async updateMeta(id: string, change: Partial<Pick<Meta, 'name' | 'endpoints' | 'nodes'>>): Promise<IdentitySummary> {
    await this.ready();
    const practice = this.practice.get(id);
    if (practice) {
      practice.meta = { ...practice.meta, ...change };
      return summarize(practice.meta, true, this.now());
    }
    return summarize(await this.vault.update(id, change), false, this.now());
  }

  async remove(id: string): Promise<boolean> {
    await this.ready();
    if (this.practice.delete(id)) return true;
    return this.vault.remove(id);
  }

  /** Connection material for the main process only; the key buffer must be zeroed by the caller. */
  async material(id: string): Promise<ConnectionMaterial> {
    await this.ready();
    const practice = this.practice.get(id);
    const meta = practice?.meta ?? this.vault.list().find((i) => i.id === id);
    if (!meta) throw new AppError('IDENTITY_NOT_FOUND', 'That identity no longer exists. Pick another one.');
    const keyPem = practice ? Buffer.from(practice.keyPem) : this.vault.decryptKey(id);
    return { context: meta.name, endpoints: meta.endpoints, roles: meta.roles, caPem: meta.caPem, certPem: meta.certPem, keyPem };
  }

  async meta(id: string): Promise<Meta> {
    await this.ready();
    const meta = this.practice.get(id)?.meta ?? this.vault.list().find((i) => i.id === id);
    if (!meta) throw new AppError('IDENTITY_NOT_FOUND', 'That identity no longer exists. Pick another one.');
    return meta;
  }

  /** Writes one identity as a talosconfig that talosctl reads (the key in clear, file mode 0600). */
  async exportTalosconfig(id: string, file: string): Promise<string> {
    const target = path.resolve(file);
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) throw new AppError('FAILED_PRECONDITION', `${target} already exists; choose a new file name so nothing is overwritten.`);
    const material = await this.material(id);
    const meta = await this.meta(id);
    try {
      const text = stringifyTalosconfig({
        context: meta.name,
        contexts: {
          [meta.name]: {
            endpoints: meta.endpoints,
            nodes: meta.nodes,
            ca: b64(meta.caPem),
            crt: b64(meta.certPem),
            key: b64(material.keyPem.toString('utf8')),
          },
        },
      });
      await writeFileAtomic(target, text, 0o600);
      return target;
    } finally {
      material.keyPem.fill(0);
    }
  }

  /** Replaces the practice identities with those of a freshly started lab. */
  setPractice(identities: ValidatedIdentity[]): void {
    this.practice.clear();
    for (const identity of identities) {
      const { keyPem, ...rest } = identity;
      const id = `practice:${identity.context}`;
      this.practice.set(id, { meta: { ...rest, id, name: `practice ${identity.context}`, cluster: clusterOf(identity.context) }, keyPem });
    }
  }
}

function clusterOf(context: string): string {
  return context.includes('@') ? context.slice(context.indexOf('@') + 1) : context;
}

async function readTalosconfigFile(file: string): Promise<string> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new AppError('NOT_FOUND', `There is no file at ${file}.`);
  }
  if (!info.isFile()) throw new AppError('IDENTITY_INVALID', `${file} is not a file.`);
  if (info.size > MAX_TALOSCONFIG_BYTES)
    throw new AppError('TOO_LARGE', `${file} is larger than ${MAX_TALOSCONFIG_BYTES / 1024} KiB; a talosconfig is a few KiB.`);
  return readFile(file, 'utf8');
}
