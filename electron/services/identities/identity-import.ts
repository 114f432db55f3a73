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

  /** Offers `$TALOSCONFIG` and `~/.talos/config` when they exist; never imports them by itself. */
  async discover(): Promise<DiscoveredConfig[]> {
    const found: DiscoveredConfig[] = [];
    for (const c of this.candidates()) {
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

  /** The usual places talosctl reads, resolved by the host (the renderer names a source, never a path). */
  private candidates(): { path: string; source: DiscoveredConfig['source'] }[] {
    const env = this.options.env ?? process.env;
    const candidates: { path: string; source: DiscoveredConfig['source'] }[] = [];
    if (env.TALOSCONFIG) candidates.push({ path: path.resolve(env.TALOSCONFIG), source: 'TALOSCONFIG' });
    candidates.push({ path: path.join(this.options.home ?? os.homedir(), '.talos', 'config'), source: 'home' });
    return candidates;
  }

  /** The text of a discovered talosconfig, by source ($TALOSCONFIG or ~/.talos/config). */
  async readDiscovered(source: DiscoveredConfig['source']): Promise<{ path: string; yaml: string }> {
    const found = this.candidates().find((c) => c.source === source);
    if (!found) throw new AppError('NOT_FOUND', '$TALOSCONFIG is not set in the environment Nodeglass was started from.');
    return { path: found.path, yaml: await readTalosconfigFile(found.path) };
  }

  /** One identity as a talosconfig that talosctl reads (the key in clear), and the file name to offer. */
  async talosconfigOf(id: string): Promise<{ filename: string; content: string }> {
    const meta = await this.store.meta(id);
    const material = await this.store.material(id);
    try {
      const content = stringifyTalosconfig({
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
      return { filename: `talosconfig-${fileNameOf(meta.name)}`, content };
    } finally {
      material.keyPem.fill(0);
    }
  }

  /**
   * Writes the exported talosconfig (mode 0600) to the absolute path the host's save dialog returned; never over
   * an existing file (the user's ~/.talos/config least of all).
   */
  async exportTalosconfig(id: string, target: string): Promise<string> {
    if (!path.isAbsolute(target)) throw new AppError('INVALID_ARGUMENT', `${target} is not an absolute path; nothing was written.`);
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
    const { content } = await this.talosconfigOf(id);
    await writeFileAtomic(target, content, 0o600);
    return target;
  }
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

export async function readTalosconfigFile(file: string): Promise<string> {
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
