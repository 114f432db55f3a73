import { parseAllDocuments } from 'yaml';
import { AppError } from '../../../shared/errors';
import { isSecretField, REDACTED } from './redact';

export interface ConfigChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  left: string | null;
  right: string | null;
  perNode: boolean;
}

export interface ConfigDiff {
  identical: boolean;
  identicalExceptPerNode: boolean;
  summary: string;
  changes: ConfigChange[];
  hiddenPerNode: number;
  truncated: boolean;
}

export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
const MAX_CHANGES = 1000;

/** Fields that legitimately differ between nodes of one role. */
const PER_NODE: RegExp[] = [
  /^(doc\d+\.)?machine\.network\.hostname$/,
  /^(doc\d+\.)?hostname$/,
  /^(doc\d+\.)?machine\.network\.interfaces(\[\d+\].*)?$/,
  /^(doc\d+\.)?machine\.certSANs(\[\d+\])?$/,
  /^(doc\d+\.)?cluster\.apiServer\.certSANs(\[\d+\])?$/,
  /^(doc\d+\.)?machine\.nodeLabels(\..*)?$/,
  /^(doc\d+\.)?addresses(\[\d+\])?$/,
];

export const isPerNodePath = (path: string) => PER_NODE.some((re) => re.test(path));

function show(value: unknown, key: string): string {
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (isSecretField(key, value) && value !== '') return REDACTED;
  return JSON.stringify(value);
}

/** Keyed documents so that a multi-document config compares `HostnameConfig` with `HostnameConfig`. */
function documents(text: string): Record<string, unknown> {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES)
    throw new AppError(
      'TOO_LARGE',
      `A config is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB; Nodeglass does not diff configs that large.`,
    );
  const out: Record<string, unknown> = {};
  const docs = parseAllDocuments(text);
  const broken = docs.flatMap((d) => d.errors);
  if (broken.length) throw new AppError('INVALID_ARGUMENT', `A config does not parse as YAML: ${broken[0]!.message.split('\n')[0]}`);
  docs.forEach((doc, i) => {
    const value = doc.toJS() as Record<string, unknown> | null;
    const name =
      value && typeof value === 'object'
        ? value.kind
          ? `${value.kind}${value.name ? `/${value.name}` : ''}`
          : value.version === 'v1alpha1'
            ? 'v1alpha1'
            : `doc${i}`
        : `doc${i}`;
    out[name] = value;
  });
  return out;
}

/**
 * A structural diff of two configs: both trees are walked side by side, one path at a time, so memory stays
 * proportional to the configs themselves. Secret values are never shown, only that they differ.
 */
export function diffConfigs(leftText: string, rightText: string, hidePerNode: boolean): ConfigDiff {
  const changes: ConfigChange[] = [];
  let hiddenPerNode = 0;
  let truncated = false;
  const record = (path: string, kind: ConfigChange['kind'], left: unknown, right: unknown, key: string) => {
    const normalized = path.replace(/^v1alpha1\./, '');
    const perNode = isPerNodePath(normalized) || isPerNodePath(path.replace(/^[A-Za-z]+Config\./, ''));
    if (perNode && hidePerNode) {
      hiddenPerNode++;
      return;
    }
    if (changes.length >= MAX_CHANGES) {
      truncated = true;
      return;
    }
    changes.push({
      path: normalized,
      kind,
      left: kind === 'added' ? null : show(left, key),
      right: kind === 'removed' ? null : show(right, key),
      perNode,
    });
  };
  const walk = (a: unknown, b: unknown, path: string, key: string) => {
    if (a === b) return;
    const objA = a !== null && typeof a === 'object';
    const objB = b !== null && typeof b === 'object';
    if (objA && objB && Array.isArray(a) === Array.isArray(b)) {
      if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
          const p = `${path}[${i}]`;
          if (i >= a.length) record(p, 'added', undefined, b[i], key);
          else if (i >= b.length) record(p, 'removed', a[i], undefined, key);
          else walk(a[i], b[i], p, key);
        }
        return;
      }
      const ma = a as Record<string, unknown>;
      const mb = b as Record<string, unknown>;
      for (const k of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
        const p = path ? `${path}.${k}` : k;
        if (!(k in mb)) record(p, 'removed', ma[k], undefined, k);
        else if (!(k in ma)) record(p, 'added', undefined, mb[k], k);
        else walk(ma[k], mb[k], p, k);
      }
      return;
    }
    record(path, 'changed', a, b, key);
  };
  walk(documents(leftText), documents(rightText), '', '');
  const identical = changes.length === 0 && hiddenPerNode === 0;
  const identicalExceptPerNode = changes.length === 0 && hiddenPerNode > 0;
  const summary = identical
    ? 'identical'
    : identicalExceptPerNode
      ? `identical except per-node fields (${hiddenPerNode} hidden)`
      : `${changes.length}${truncated ? '+' : ''} difference(s)${hiddenPerNode ? `, ${hiddenPerNode} per-node field(s) hidden` : ''}: ${changes
          .slice(0, 5)
          .map((c) => c.path)
          .join(', ')}${changes.length > 5 ? ', …' : ''}`;
  return { identical, identicalExceptPerNode, summary, changes, hiddenPerNode, truncated };
}
