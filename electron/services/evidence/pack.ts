import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { evidenceSchema, type Evidence } from '../../../shared/domain/evidence';
import { AppError } from '../../../shared/errors';
import { buildManifest, MANIFEST_FILE, SIGNATURE_FILE } from '../bundles/manifest';
import { scanForSecrets } from '../bundles/secret-scan';
import { publicKeyFingerprint, signBytes } from '../bundles/signing';
import { zipFolder } from '../bundles/zip';
import type { Collected } from './collect';
import controls from './controls.json';
import { renderReport } from './report-html';
import { verifyInstructions } from './verify-md';

export { PUBLIC_KEY_FILE } from '../bundles/verify-bundle';
import { PUBLIC_KEY_FILE } from '../bundles/verify-bundle';

export interface Signer {
  privateKey: KeyObject;
  publicPem: string;
}

export interface Pack {
  folder: string;
  files: Map<string, Uint8Array>;
  zip: Uint8Array;
  evidence: Evidence;
}

/** The JSON Schema of evidence.json, generated from the zod schema (the committed copy is checked by a test). */
export function evidenceJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(evidenceSchema, { target: 'draft-2020-12', io: 'output' }), null, 1) + '\n';
}

export const packFolderName = (cluster: string, collectedAt: string) =>
  `nodeglass-evidence-${cluster.replace(/[^A-Za-z0-9._-]/g, '_')}-${collectedAt.replace(/[:.]/g, '-')}`;

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/**
 * Lays out the pack's files, refuses to go on if any holds a private key or an unredacted secret, then
 * lists them in the manifest and signs it. `printPdf` turns report.html into report.pdf (the host's
 * Chromium or Electron); when it fails, the pack says so and is still produced.
 */
export async function buildPack(collected: Collected, signer: Signer, printPdf?: (html: string) => Promise<Uint8Array>): Promise<Pack> {
  const evidence = structuredClone(collected.evidence);
  const files = new Map<string, Uint8Array>();
  let html = renderReport(evidence);
  let pdf: Uint8Array | null = null;
  const missingPdf = (reason: string) => {
    evidence.unavailable.push({ node: null, item: 'report.pdf', reason });
    html = renderReport(evidence);
  };
  if (!printPdf) missingPdf('This host has no way to print PDFs (no Chromium was found).');
  else
    try {
      pdf = await printPdf(html);
    } catch (error) {
      missingPdf(`Printing the report failed: ${(error as Error).message}`);
    }
  files.set('report.html', text(html));
  if (pdf) files.set('report.pdf', pdf);
  files.set('evidence.json', text(JSON.stringify(evidenceSchema.parse(evidence), null, 1) + '\n'));
  files.set('evidence.schema.json', text(evidenceJsonSchema()));
  files.set('controls.json', text(JSON.stringify(controls, null, 1) + '\n'));
  for (const n of collected.perNode) {
    const dir = `nodes/${n.evidence.node}`;
    if (n.configYaml !== null) files.set(`${dir}/machine-config.redacted.yaml`, text(n.configYaml));
    const sbom = collected.sboms.get(n.evidence.node);
    if (sbom) files.set(`${dir}/sbom.cdx.json`, text(sbom));
  }
  files.set(PUBLIC_KEY_FILE, text(signer.publicPem));
  files.set('VERIFY.md', text(verifyInstructions(evidence.cluster, evidence.collectedAt, publicKeyFingerprint(signer.publicPem))));

  const findings = scanForSecrets(files);
  if (findings.length)
    throw new AppError(
      'INTERNAL',
      `The pack was not written: ${findings[0]!.file} would contain ${findings[0]!.what}${findings.length > 1 ? ` (and ${findings.length - 1} more)` : ''}. Nothing with secrets leaves Nodeglass; please report this.`,
    );

  const manifest = text(buildManifest(files, evidence.collectedAt));
  files.set(MANIFEST_FILE, manifest);
  files.set(SIGNATURE_FILE, new Uint8Array(signBytes(signer.privateKey, manifest)));
  const folder = packFolderName(evidence.cluster, evidence.collectedAt);
  return { folder, files, zip: zipFolder(folder, files, new Date(evidence.collectedAt)), evidence };
}
