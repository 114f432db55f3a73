import { stringify } from 'yaml';
import type { ResourceRow } from '../../../shared/domain/inspect';
import type { ResourceItem, ResourceKind } from '../../talos/client';
import { evalJsonPath } from './print-columns';

/** One row of `talosctl get`: the kind's print columns evaluated against the spec. */
export function toRow(item: ResourceItem, kind: Pick<ResourceKind, 'printColumns'> | null): ResourceRow {
  const columns: Record<string, string> = {};
  for (const c of kind?.printColumns ?? []) columns[c.name] = evalJsonPath(item.spec, c.jsonPath);
  return { id: item.id, namespace: item.namespace, version: item.version, phase: item.phase, updated: item.updated, columns };
}

/** `talosctl get -o yaml` output shape: node, metadata, spec. */
export function resourceYaml(node: string, item: ResourceItem): string {
  const metadata: Record<string, unknown> = {
    namespace: item.namespace,
    type: item.type,
    id: item.id,
    version: Number(item.version),
    owner: item.owner,
    phase: item.phase,
    created: item.created,
    updated: item.updated,
  };
  if (Object.keys(item.annotations).length) metadata.annotations = item.annotations;
  return stringify({ node, metadata, spec: item.spec }, { indent: 4, lineWidth: 0 });
}
