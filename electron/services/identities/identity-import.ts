import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DiscoveredConfig, ImportPreview, ImportReport } from '../../../shared/domain/identity';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../../certs/atomic-file';
import { b64, stringifyTalosconfig } from '../../../certs/talosconfig';
import { MAX_TALOSCONFIG_BYTES, parseTalosconfig, uniqueName } from '../../../certs/talosconfig-import';
import { openBundle, sealBundle, type BundleEntry } from '../../../certs/identity-bundle';
import { ContextProblem, validateContext } from '../../../certs/identity-validation';
import type { NewIdentity } from '../../../certs/vault';
import { clusterOf } from './identity-summary';
import type { IdentityStore } from './identity-store';

export interface ImportOptions {
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Talosconfig files in and out: preview, import (all or nothing), discovery of the usual places, export. */
export class IdentityImport {
  private readonly now: () => number;

  constructor(
    private readonly store: IdentityStore,
    private readonly options: ImportOptions = {},
  ) {
    this.now = options.now ?? Date.now;
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
    const parsed = parseTalosconfig(yaml, new Date(this.now()));
    const names = chosen ?? parsed.contexts.map((c) => c.name);
    const unknown = names.filter((n) => !parsed.contexts.some((c) => c.name === n));
    if (unknown.length) throw new AppError('IDENTITY_INVALID', `The file has no context named ${unknown.map((n) => `"${n}"`).join(', ')}.`);
    const picked = parsed.contexts.filter((c) => names.includes(c.name));
    const broken = picked.filter((c) => !c.identity);
    if (broken.length) throw new AppError('IDENTITY_INVALID', `Nothing was imported. ${broken.flatMap((c) => c.problems).join(' ')}`);
    const taken = new Set((await this.store.list()).map((i) => i.name));
    const entries = picked.map((c) => {
      const name = uniqueName(c.name, taken);
      taken.add(name);
      return { identity: c.identity!, name, cluster: clusterOf(c.name) };
    });
    await this.store.add(entries);
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

  /** Writes one identity as a talosconfig that talosctl reads (the key in clear, file mode 0600). */
  async exportTalosconfig(id: string, file: string): Promise<string> {
    const target = exportTarget(file, this.options.home ?? os.homedir());
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) throw new AppError('FAILED_PRECONDITION', `${target} already exists; choose a new file name so nothing is overwritten.`);
    const folder = await stat(path.dirname(target)).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!folder)
      throw new AppError(
        'FAILED_PRECONDITION',
        `There is no folder ${path.dirname(target)}; create it or choose another place for the file.`,
      );
    const meta = await this.store.meta(id);
    const material = await this.store.material(id);
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
}

/**
 * Where an export goes: `~/…` and relative paths are taken in the home folder, since the app's working directory
 * means nothing to the person typing the path (on the desktop it is often `/`).
 */
export function exportTarget(file: string, home: string): string {
  const trimmed = file.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/')) return path.join(home, trimmed.slice(2));
  return path.resolve(home, trimmed);
}

/** `admin@prod` → `admin-prod`: a file name that means the identity on any system. */
export const fileNameOf = (name: string) => name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'identity';

/** Encrypted bundles for handing an identity to another Nodeglass: the key never leaves this process unencrypted. */
export class IdentityBundles {
  constructor(
    private readonly store: IdentityStore,
    private readonly now: () => number = Date.now,
  ) {}

  async export(id: string, passphrase: string): Promise<{ filename: string; content: string }> {
    const meta = await this.store.meta(id);
    const material = await this.store.material(id);
    try {
      const entry: BundleEntry = {
        name: meta.name,
        cluster: meta.cluster,
        context: meta.context,
        endpoints: meta.endpoints,
        nodes: meta.nodes,
        caPem: meta.caPem,
        certPem: meta.certPem,
        keyPem: material.keyPem.toString('utf8'),
        label: meta.label ?? null,
        colour: meta.colour ?? null,
        readOnly: meta.readOnly ?? false,
        minted: meta.minted ?? null,
      };
      return { filename: `${fileNameOf(meta.name)}.nodeglass-bundle`, content: await sealBundle([entry], passphrase) };
    } finally {
      material.keyPem.fill(0);
    }
  }

  /** Opens a bundle and stores its identities, validated like an import (key matches certificate, chain, validity). */
  async import(content: string, passphrase: string): Promise<ImportReport> {
    await this.store.requireWritable();
    const entries = await openBundle(content, passphrase);
    const taken = new Set((await this.store.list()).map((i) => i.name));
    const now = new Date(this.now());
    const identities: NewIdentity[] = entries.map((e) => {
      let identity;
      try {
        identity = validateContext(
          e.context,
          { ca: b64(e.caPem), crt: b64(e.certPem), key: b64(e.keyPem), endpoints: e.endpoints, nodes: e.nodes },
          now,
        );
      } catch (error) {
        if (error instanceof ContextProblem) throw new AppError('IDENTITY_INVALID', `Nothing was imported. ${error.message}`);
        throw error;
      }
      const name = uniqueName(e.name, taken);
      taken.add(name);
      return {
        identity,
        name,
        cluster: e.cluster,
        marks: { label: e.label ?? null, colour: e.colour ?? null, readOnly: e.readOnly === true, minted: e.minted ?? null },
      };
    });
    await this.store.add(identities);
    const imported = identities.map((i, k) => ({ context: i.identity.context, name: i.name, was: entries[k]!.name }));
    return {
      imported: imported.map((i) => ({ context: i.context, name: i.name, renamed: i.name !== i.was })),
      warnings: imported
        .filter((i) => i.name !== i.was)
        .map((i) => `An identity named "${i.was}" already existed, so this one was imported as "${i.name}".`),
    };
  }
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
