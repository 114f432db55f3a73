import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, sha256, SIGNATURE_FILE, type ManifestEntry } from './manifest';
import { publicKeyFingerprint, verifyBytes } from './signing';
import { unzipFolder } from './zip';

export const PUBLIC_KEY_FILE = 'signing-key.pub.pem';

export interface BundleVerification {
  ok: boolean;
  /** SHA-256 of the included public key; compare it with the fingerprint registered for this console. */
  fingerprint: string | null;
  signature: 'valid' | 'invalid' | 'missing';
  checked: number;
  problems: string[];
}

async function readFolder(dir: string, prefix = ''): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of await readFolder(dir, rel)) files.set(k, v);
    else files.set(rel, await readFile(path.join(dir, rel)));
  }
  return files;
}

/** Reads a bundle from its folder or its .zip. */
export async function readBundle(location: string): Promise<Map<string, Uint8Array>> {
  const info = await stat(location);
  return info.isDirectory() ? readFolder(location) : unzipFolder(await readFile(location)).files;
}

/**
 * Checks a bundle as VERIFY.md does with stock tools: the manifest's Ed25519 signature with the included
 * public key, every listed file's SHA-256, and (beyond the stock recipe) that no file is unlisted.
 */
export function verifyBundle(files: ReadonlyMap<string, Uint8Array>, trustedFingerprint?: string): BundleVerification {
  const problems: string[] = [];
  const manifestBytes = files.get(MANIFEST_FILE);
  const signature = files.get(SIGNATURE_FILE);
  const publicPem = files.get(PUBLIC_KEY_FILE);
  let fingerprint: string | null = null;
  let signatureState: BundleVerification['signature'] = 'missing';
  if (!manifestBytes) problems.push(`${MANIFEST_FILE} is missing`);
  if (!signature) problems.push(`${SIGNATURE_FILE} is missing`);
  if (!publicPem) problems.push(`${PUBLIC_KEY_FILE} is missing`);
  if (publicPem) {
    try {
      fingerprint = publicKeyFingerprint(Buffer.from(publicPem).toString('utf8'));
    } catch {
      problems.push(`${PUBLIC_KEY_FILE} is not a public key`);
    }
  }
  if (fingerprint && trustedFingerprint && fingerprint !== trustedFingerprint.toLowerCase().replace(/[^0-9a-f]/g, ''))
    problems.push(`the pack was signed by key ${fingerprint}, not the registered ${trustedFingerprint}`);
  if (manifestBytes && signature && publicPem && fingerprint) {
    signatureState = verifyBytes(Buffer.from(publicPem).toString('utf8'), manifestBytes, signature) ? 'valid' : 'invalid';
    if (signatureState === 'invalid') problems.push(`${SIGNATURE_FILE} does not verify over ${MANIFEST_FILE} with ${PUBLIC_KEY_FILE}`);
  }
  let checked = 0;
  if (manifestBytes) {
    let entries: ManifestEntry[] = [];
    try {
      const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as { files?: ManifestEntry[]; sha256sum?: string[] };
      entries = manifest.files ?? [];
      const sums = new Set(manifest.sha256sum ?? []);
      for (const e of entries) if (!sums.has(`${e.sha256}  ${e.path}`)) problems.push(`the manifest's two lists disagree on ${e.path}`);
      if (sums.size !== entries.length) problems.push("the manifest's two lists differ in length");
    } catch {
      problems.push(`${MANIFEST_FILE} is not valid JSON`);
    }
    const listed = new Set(entries.map((e) => e.path));
    for (const e of entries) {
      const data = files.get(e.path);
      if (!data) problems.push(`${e.path} is listed but missing`);
      else if (sha256(data) !== e.sha256) problems.push(`${e.path} was changed (SHA-256 differs from the manifest)`);
      else checked += 1;
    }
    for (const name of files.keys())
      if (!listed.has(name) && name !== MANIFEST_FILE && name !== SIGNATURE_FILE) problems.push(`${name} is not listed in the manifest`);
  }
  return { ok: problems.length === 0, fingerprint, signature: signatureState, checked, problems };
}
