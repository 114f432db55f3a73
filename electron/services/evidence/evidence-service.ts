import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry } from '../../../shared/domain/audit';
import {
  evidenceSchema,
  type Evidence,
  type EvidenceProgress,
  type EvidenceStatus,
  type StoredPack,
} from '../../../shared/domain/evidence';
import { AppError } from '../../../shared/errors';
import type { AuditLog } from '../audit/audit-log';
import { osUser } from '../audit/os-user';
import { readBundle, verifyBundle, type BundleVerification } from '../bundles/verify-bundle';
import { publicKeyFingerprint } from '../bundles/signing';
import type { Identities } from '../identities';
import type { TalosSessions } from '../talos-sessions';
import { collectEvidence } from './collect';
import { comparePacks, comparisonMarkdown } from './compare';
import { buildPack } from './pack';
import type { PdfPrinter } from './pdf-printer';

export const SIGNING_PURPOSE = 'evidence-pack';

export interface EvidenceServiceDeps {
  dir: string;
  version: string;
  identities: Identities;
  sessions: TalosSessions;
  audit: AuditLog;
  printer?: PdfPrinter;
  onProgress?: (progress: EvidenceProgress) => void;
  now?: () => Date;
}

export interface GenerateRequest {
  identityId: string;
  nodes: string[];
  from: string | null;
  runId: string;
}

/** Entries about this cluster: on its nodes or by one of its identities; breaks of the trail always. */
function clusterEntries(
  entries: AuditEntry[],
  nodes: Set<string>,
  fingerprints: Set<string>,
  from: string | null,
  to: string,
): AuditEntry[] {
  return entries.filter(
    (e) =>
      (e.kind === 'break' || e.nodes.some((n) => nodes.has(n)) || fingerprints.has(e.identity.fingerprint)) &&
      (!from || e.time >= from) &&
      e.time <= to,
  );
}

/** Generates, keeps, verifies and compares compliance evidence packs (in `<data>/evidence/`). */
export class EvidenceService {
  private readonly now: () => Date;

  constructor(private readonly deps: EvidenceServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async status(): Promise<EvidenceStatus> {
    await this.deps.identities.vault.ready().catch(() => undefined);
    const pem = this.deps.identities.vault.vault.signingPublicKey(SIGNING_PURPOSE);
    return {
      signingKeyFingerprint: pem ? publicKeyFingerprint(pem) : null,
      pdfPrinter: this.deps.printer?.name ?? null,
      packs: await this.list(),
    };
  }

  async generate(request: GenerateRequest): Promise<StoredPack> {
    const { identities, sessions } = this.deps;
    const vault = identities.vault;
    await vault.ready();
    if (!vault.vault.unlocked)
      throw new AppError(
        'VAULT_LOCKED',
        'Evidence packs are signed with a key kept in the vault, and the vault is locked or not set up. Unlock it (Identities), then try again.',
      );
    const progress = (done: number, total: number, step: string) => this.deps.onProgress?.({ runId: request.runId, done, total, step });
    const meta = await identities.store.meta(request.identityId);
    const all = await identities.store.list();
    const collector = all.find((i) => i.id === request.identityId)!;
    const clusterIdentities = all.filter((i) => i.cluster === meta.cluster);
    const now = this.now();
    const to = now.toISOString();
    progress(0, 1, 'Verifying the audit trail');
    const verification = await this.deps.audit.verify();
    const entries = clusterEntries(
      await this.deps.audit.entries(),
      new Set(request.nodes),
      new Set(clusterIdentities.map((i) => i.fingerprint)),
      request.from,
      to,
    );
    const signer = await vault.vault.signingKey(SIGNING_PURPOSE);
    const client = await sessions.client(request.identityId);
    const collected = await collectEvidence({
      client,
      cluster: meta.cluster,
      nodes: request.nodes,
      collector: { ...collector, caPem: meta.caPem },
      identities: clusterIdentities,
      osUser: osUser(),
      generatorVersion: this.deps.version,
      signingKeyFingerprint: publicKeyFingerprint(signer.publicPem),
      audit: { entries, verification },
      period: { from: request.from, to },
      now,
      onProgress: (done, total, step) => progress(done, total + 2, step),
    });
    progress(request.nodes.length + 1, request.nodes.length + 2, 'Writing report, PDF, SBOMs and signature');
    const pack = await buildPack(collected, signer, this.deps.printer ? (html) => this.deps.printer!.print(html) : undefined);
    const stored = await this.store(pack.folder, pack.files, pack.zip);
    progress(request.nodes.length + 2, request.nodes.length + 2, 'Done');
    return this.describe(pack.evidence, stored.dir, stored.zip, pack.zip.byteLength);
  }

  /** Writes the folder (via a temporary name, renamed when complete) and the zip beside it. */
  private async store(folder: string, files: Map<string, Uint8Array>, zip: Uint8Array): Promise<{ dir: string; zip: string }> {
    await mkdir(this.deps.dir, { recursive: true, mode: 0o700 });
    const dir = path.join(this.deps.dir, folder);
    const partial = `${dir}.partial`;
    await rm(partial, { recursive: true, force: true });
    for (const [name, data] of files) {
      const file = path.join(partial, ...name.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, data);
    }
    await rename(partial, dir);
    const zipFile = `${dir}.zip`;
    await writeFile(`${zipFile}.part`, zip);
    await rename(`${zipFile}.part`, zipFile);
    return { dir, zip: zipFile };
  }

  private describe(e: Evidence, dir: string, zipPath: string, zipBytes: number): StoredPack {
    const count = (v: string) => e.controls.filter((c) => c.verdict === v).length;
    return {
      folder: path.basename(dir),
      cluster: e.cluster,
      collectedAt: e.collectedAt,
      collector: e.collector.identity,
      nodes: e.nodes.length,
      controls: { pass: count('pass'), fail: count('fail'), unknown: count('unknown') },
      unavailable: e.unavailable.length,
      zipBytes,
      path: dir,
      zipPath,
    };
  }

  private folderPath(folder: string): string {
    if (!/^nodeglass-evidence-[A-Za-z0-9._-]+$/.test(folder) || folder.includes('..'))
      throw new AppError('INVALID_ARGUMENT', `${folder} is not an evidence pack name.`);
    return path.join(this.deps.dir, folder);
  }

  private async evidenceOf(folder: string): Promise<Evidence> {
    const file = path.join(this.folderPath(folder), 'evidence.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new AppError('NOT_FOUND', `The evidence pack ${folder} is no longer in ${this.deps.dir}.`);
    }
    const parsed = evidenceSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new AppError(
        'INVALID_ARGUMENT',
        `${folder}/evidence.json does not match the evidence schema: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }

  /** Packs in the data folder, newest first; a folder that does not read as a pack is skipped. */
  async list(): Promise<StoredPack[]> {
    const names = await readdir(this.deps.dir).catch(() => [] as string[]);
    const packs: StoredPack[] = [];
    for (const name of names) {
      if (!/^nodeglass-evidence-[A-Za-z0-9._-]+$/.test(name) || name.endsWith('.zip') || name.endsWith('.partial')) continue;
      try {
        const e = await this.evidenceOf(name);
        const zipPath = path.join(this.deps.dir, `${name}.zip`);
        const zipBytes = (await stat(zipPath).catch(() => null))?.size ?? 0;
        packs.push(this.describe(e, path.join(this.deps.dir, name), zipPath, zipBytes));
      } catch {
        // not a readable pack
      }
    }
    return packs.sort((a, b) => (a.collectedAt < b.collectedAt ? 1 : -1));
  }

  async verify(folder: string): Promise<BundleVerification> {
    const trusted = this.deps.identities.vault.vault.signingPublicKey(SIGNING_PURPOSE);
    return verifyBundle(await readBundle(this.folderPath(folder)), trusted ? publicKeyFingerprint(trusted) : undefined);
  }

  async zipOf(folder: string): Promise<{ filename: string; bytes: Buffer }> {
    const file = `${this.folderPath(folder)}.zip`;
    return { filename: path.basename(file), bytes: await readFile(file) };
  }

  /** One file of a stored pack (`manifest.json`, say). */
  async fileOf(folder: string, name: 'manifest.json' | 'manifest.sig'): Promise<Buffer> {
    return readFile(path.join(this.folderPath(folder), name));
  }

  async saveZip(folder: string, target: string): Promise<void> {
    await copyFile(`${this.folderPath(folder)}.zip`, target);
  }

  async compare(before: string, after: string) {
    const comparison = comparePacks(await this.evidenceOf(before), await this.evidenceOf(after));
    return { ...comparison, markdown: comparisonMarkdown(comparison) };
  }
}
