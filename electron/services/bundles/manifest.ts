import { createHash } from 'node:crypto';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';

/** Paths inside a bundle: plain relative names only, so every line of the manifest is safe for the shell recipe. */
const SAFE_PATH = /^(?!\/)(?!.*\.\.)[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/;

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  format: 'nodeglass-manifest';
  version: 1;
  createdAt: string;
  files: ManifestEntry[];
  /** The same hashes in `sha256sum` format, one JSON string per line, for the stock-tools recipe in VERIFY.md. */
  sha256sum: string[];
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export function assertSafePath(p: string): void {
  if (!SAFE_PATH.test(p)) throw new Error(`unsafe bundle path ${JSON.stringify(p)}`);
}

/**
 * The manifest of a bundle: every file (sorted) with its SHA-256 and size. It is written one entry per line,
 * so `sed` can turn its `sha256sum` lines into input for `sha256sum -c` (see VERIFY.md).
 */
export function buildManifest(files: ReadonlyMap<string, Uint8Array>, createdAt: string): string {
  const entries = [...files]
    .map(([path, data]) => {
      assertSafePath(path);
      return { path, sha256: sha256(data), size: data.byteLength };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines = [
    '{',
    ` "format": "nodeglass-manifest",`,
    ` "version": 1,`,
    ` "createdAt": ${JSON.stringify(createdAt)},`,
    ` "files": [`,
    ...entries.map((e, i) => `  ${JSON.stringify(e)}${i < entries.length - 1 ? ',' : ''}`),
    ` ],`,
    ` "sha256sum": [`,
    ...entries.map((e, i) => `  ${JSON.stringify(`${e.sha256}  ${e.path}`)}${i < entries.length - 1 ? ',' : ''}`),
    ` ]`,
    '}',
  ];
  return lines.join('\n') + '\n';
}

/** The stock-tools recipe: extract the `sha256sum` lines of the manifest and check them. */
export const SHA256SUM_RECIPE = `sed -n 's/^ *"\\([0-9a-f]\\{64\\}  [^"]*\\)",\\{0,1\\}$/\\1/p' manifest.json | sha256sum --strict -c -`;

/** The openssl command that checks the manifest's signature with the included public key. */
export const OPENSSL_RECIPE = 'openssl pkeyutl -verify -pubin -inkey signing-key.pub.pem -rawin -in manifest.json -sigfile manifest.sig';
