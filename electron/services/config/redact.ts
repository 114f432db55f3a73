import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { AppError } from '../../../shared/errors';

export const REDACTED = '[redacted]';

const SECRET_NAMES = new Set(['key', 'token', 'secret', 'password', 'passphrase', 'bootstraptoken']);
const SECRET_SUFFIX = /(secret|token|passphrase|password|privatekey)$/i;
const PEM_PRIVATE_BASE64 = /^LS0tLS1CRUdJTi[A-Za-z0-9+/=]*$/; // base64 of "-----BEGIN "

/** Whether a field holds secret material: CA and service-account keys, tokens, encryption secrets. */
export function isSecretField(name: string, value: unknown): boolean {
  const lower = name.toLowerCase();
  if (SECRET_NAMES.has(lower) || SECRET_SUFFIX.test(name)) return true;
  if (typeof value === 'string' && PEM_PRIVATE_BASE64.test(value)) {
    const head = Buffer.from(value.slice(0, 64), 'base64').toString('latin1');
    return /PRIVATE KEY/.test(head);
  }
  return false;
}

function walk(node: Node | null | undefined, path: string, found: string[], redact: boolean): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const child = pair.value as Node | null;
      const childPath = path ? `${path}.${key}` : key;
      if (isScalar(child) && isSecretField(key, child.value) && child.value !== '' && child.value !== null) {
        found.push(childPath);
        if (redact) child.value = REDACTED;
      } else {
        walk(child, childPath, found, redact);
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item as Node, `${path}[${i}]`, found, redact));
  }
}

/** Replaces every secret value of a (multi-document) config, keeping its structure and comments. */
export function redactConfig(text: string): { yaml: string; redactedPaths: string[]; documents: number } {
  const docs: Document[] = parseAllDocuments(text) as Document[];
  const broken = docs.flatMap((d) => d.errors);
  if (broken.length) {
    // Secrets could hide in what did not parse: show nothing rather than something half-redacted.
    throw new AppError(
      'INVALID_ARGUMENT',
      `The node's config does not parse as YAML (${broken[0]!.message.split('\n')[0]}), so Nodeglass cannot be sure every secret is hidden. Reveal it as an admin to see it as it is.`,
    );
  }
  const found: string[] = [];
  docs.forEach((doc, i) => walk(doc.contents as Node, docs.length > 1 ? `doc${i}` : '', found, true));
  return {
    yaml: docs.map((d) => d.toString({ indent: 4, lineWidth: 0 }).replace(/^---\n/, '')).join('---\n'),
    redactedPaths: found,
    documents: docs.length,
  };
}
