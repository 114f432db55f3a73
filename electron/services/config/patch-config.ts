import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { parseAllDocuments, stringify } from 'yaml';
import { AppError } from '../../../shared/errors';
import { machineConfigBody, type ResourceItem } from '../../talos/client';

/**
 * `talosctl patch mc` on the client, as Talos' configpatcher does it: a patch is a JSON Patch (RFC 6902, as JSON or
 * YAML) when it reads as a list of operations, otherwise a strategic merge patch of one or more YAML documents.
 * JSON Patch works only on a single-document config (Talos refuses it for multi-document configs); strategic merge
 * merges each patch document into the config document of the same kind (and name), adds the ones the config lacks,
 * and `$patch: delete` deletes a key or a whole document.
 */

export type PatchFormat = 'json6902' | 'strategic';
type Doc = Record<string, unknown>;

export interface LoadedPatch {
  format: PatchFormat;
  operations: Operation[];
  documents: Doc[];
}

const isMap = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string) => new AppError('INVALID_ARGUMENT', message);

function parseDocuments(text: string, what: string): unknown[] {
  const docs = parseAllDocuments(text);
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length) throw bad(`The ${what} is not valid YAML: ${errors[0]!.message.split('\n')[0]}`);
  return docs.map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
}

/** Reads a patch and decides its format the way talosctl does. */
export function loadPatch(text: string): LoadedPatch {
  if (!text.trim()) throw bad('The patch is empty.');
  const values = parseDocuments(text, 'patch');
  const [first] = values;
  if (values.length === 1 && Array.isArray(first)) {
    const operations = first as Operation[];
    const error = fastJsonPatch.validate(operations);
    if (error) throw bad(`The JSON Patch is not valid: operation ${Number(error.index) + 1}: ${error.message.split('\n')[0]}`);
    return { format: 'json6902', operations, documents: [] };
  }
  for (const [i, v] of values.entries())
    if (!isMap(v))
      throw bad(
        `Patch document ${i + 1} is not a map: a strategic merge patch is YAML like the config (machine: …), a JSON Patch is one list of operations ([{"op": "replace", "path": "/machine/…", "value": …}]).`,
      );
  return { format: 'strategic', operations: [], documents: values as Doc[] };
}

/** The id Talos names a document by in its errors: `/v1alpha1` for the main document, `apiVersion/kind[/name]` for the others. */
function documentId(doc: Doc): string {
  if (!doc.kind && doc.version === 'v1alpha1') return '/v1alpha1';
  return [doc.apiVersion ?? '', doc.kind ?? '', ...(doc.name ? [doc.name] : [])].join('/');
}

const isMain = (doc: Doc) => !doc.kind && (doc.version === 'v1alpha1' || 'machine' in doc || 'cluster' in doc);
const sameDocument = (a: Doc, b: Doc) => (isMain(a) && isMain(b)) || documentId(a) === documentId(b);

/** Lists Talos merges by a key rather than appending to (network interfaces by name, VLANs by id, admission plugins by name). */
const MERGE_KEYS: Record<string, string[]> = {
  'machine.network.interfaces': ['interface', 'deviceSelector'],
  'machine.network.interfaces.vlans': ['vlanId'],
  'cluster.apiServer.admissionControl': ['name'],
};
/** Values Talos replaces whole rather than merging. */
const REPLACED = new Set(['cluster.apiServer.auditPolicy']);

function mergeList(path: string, into: unknown[], from: unknown[], docId: string): unknown[] {
  const keys = MERGE_KEYS[path.replace(/\.\d+(?=\.|$)/g, '')];
  if (!keys) return [...into, ...from];
  const out = [...into];
  for (const item of from) {
    const key = isMap(item) ? keys.find((k) => item[k] !== undefined) : undefined;
    const at = key && isMap(item) ? out.findIndex((x) => isMap(x) && JSON.stringify(x[key]) === JSON.stringify(item[key])) : -1;
    if (at >= 0) out[at] = mergeMap(`${path}.${at}`, out[at] as Doc, item as Doc, docId);
    else out.push(item);
  }
  return out;
}

function mergeMap(path: string, into: Doc, from: Doc, docId: string): Doc {
  const out: Doc = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const at = path ? `${path}.${key}` : key;
    if (isMap(value) && value.$patch === 'delete') {
      if (!(key in out)) throw bad(`patch delete: path '${at}' in document '${docId}': failed to delete path '${at}': lookup failed`);
      delete out[key];
    } else if (REPLACED.has(at)) out[key] = value;
    else if (isMap(value) && isMap(out[key])) out[key] = mergeMap(at, out[key], value, docId);
    else if (Array.isArray(value) && Array.isArray(out[key])) out[key] = mergeList(at, out[key], value, docId);
    else out[key] = value;
  }
  return out;
}

function strategicMerge(config: Doc[], patches: Doc[]): Doc[] {
  let out = [...config];
  for (const patch of patches) {
    const at = out.findIndex((d) => sameDocument(d, patch));
    const id = documentId(at >= 0 ? out[at]! : patch);
    if (patch.$patch === 'delete') {
      if (at < 0) throw bad(`patch delete: document '${id}' not found in the config`);
      out = out.filter((_, i) => i !== at);
      continue;
    }
    if (at < 0) out.push(patch);
    else out[at] = mergeMap('', out[at]!, patch, id);
  }
  return out;
}

function jsonPatch(config: Doc[], operations: Operation[]): Doc[] {
  if (config.length > 1)
    throw bad(
      'JSON6902 patches are not supported for multi-document machine configuration. Write it as a strategic merge patch (YAML like the config; $patch: delete removes a key).',
    );
  try {
    return [fastJsonPatch.applyPatch(structuredClone(config[0] ?? {}), operations, true, false).newDocument];
  } catch (error) {
    const e = error as { message?: string; index?: number };
    throw bad(`The JSON Patch does not apply: operation ${Number(e.index ?? 0) + 1}: ${(e.message ?? String(error)).split('\n')[0]}`);
  }
}

/** The patched config as Talos encodes it: each document as YAML, comments dropped, documents joined by `---`. */
export function patchConfig(configYaml: string, patch: LoadedPatch): string {
  const config = parseDocuments(configYaml, 'node’s config').filter(isMap);
  const patched = patch.format === 'json6902' ? jsonPatch(config, patch.operations) : strategicMerge(config, patch.documents);
  return patched.map((d) => stringify(d, { indent: 4, lineWidth: 0 })).join('---\n');
}

/** The node's active config read as `talosctl patch mc` reads it (COSI Get of MachineConfigs v1alpha1), and the patched one. */
export async function patchNodeConfig(
  client: { getResource(node: string, ns: string, type: string, id: string): Promise<ResourceItem> },
  node: string,
  patch: LoadedPatch,
): Promise<{ before: string; after: string }> {
  const before = machineConfigBody(await client.getResource(node, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1'));
  return { before, after: patchConfig(before, patch) };
}
