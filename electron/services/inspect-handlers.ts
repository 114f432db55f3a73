import { stringify } from 'yaml';
import { AppError } from '../../shared/errors';
import { formatFileMode, formatModified } from '../../shared/file-mode';
import type { MachineConfigView, ResourceRow } from '../../shared/domain/inspect';
import { talosctl } from '../../shared/talosctl';
import { machineConfigBody, type ResourceItem, type ResourceKind, type TalosClient } from '../talos/client';
import { fanOut } from '../talos/fan-out';
import type { Handlers } from '../host/dispatch';
import { redactConfig } from './config/redact';
import { diffConfigs } from './config/structural-diff';
import type { IdentityService } from './identity-service';
import type { createMutationGate } from './mutations';
import { evalJsonPath } from './resources/print-columns';
import type { TalosSessions } from './talos-sessions';

const MC = 'MachineConfigs.config.talos.dev';
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

type InspectHandlers = Pick<
  Handlers,
  'configs.get' | 'configs.reveal' | 'configs.diff' | 'resources.kinds' | 'resources.list' | 'resources.get' | 'files.list' | 'files.read'
>;

export function toRow(item: ResourceItem, kind: Pick<ResourceKind, 'printColumns'> | null): ResourceRow {
  const columns: Record<string, string> = {};
  for (const c of kind?.printColumns ?? []) columns[c.name] = evalJsonPath(item.spec, c.jsonPath);
  return { id: item.id, namespace: item.namespace, version: item.version, phase: item.phase, updated: item.updated, columns };
}

/** `talosctl get -o yaml` output shape: node, metadata, spec. */
function resourceYaml(node: string, item: ResourceItem): string {
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

export function createInspectHandlers(
  sessions: TalosSessions,
  identities: IdentityService,
  mutate: ReturnType<typeof createMutationGate>,
): InspectHandlers {
  const config = async (identityId: string, node: string, which: 'v1alpha1' | 'persistent') => {
    const client = await sessions.client(identityId);
    try {
      const item = await client.getResource(node, 'config', MC, which);
      return { item, body: machineConfigBody(item) };
    } catch (error) {
      if (error instanceof AppError && error.code === 'PERMISSION_DENIED') {
        const meta = await identities.meta(identityId);
        throw new AppError(
          'PERMISSION_DENIED',
          `Machine configs are a sensitive resource: reading them needs os:admin; this identity has ${meta.roles.join(', ') || 'no roles'}.`,
        );
      }
      throw error;
    }
  };
  const view = (
    node: string,
    which: 'v1alpha1' | 'persistent',
    item: ResourceItem,
    yaml: string,
    redacted: boolean,
    paths: string[],
    documents: number,
  ): MachineConfigView => ({ node, which, yaml, redacted, redactedPaths: paths, documents, version: item.version, updated: item.updated });
  const kindOf = async (client: TalosClient, node: string, type: string) =>
    (await client.resourceDefinitions(node)).find((k) => k.type === type) ?? null;

  return {
    'configs.get': async ({ identityId, node, which }) => {
      const { item, body } = await config(identityId, node, which);
      const redacted = redactConfig(body);
      return view(node, which, item, redacted.yaml, true, redacted.redactedPaths, redacted.documents);
    },
    'configs.reveal': async ({ identityId, node, which }) => {
      const meta = await identities.meta(identityId);
      const request = {
        identityId,
        nodes: [node],
        method: '/cosi.resource.State/Get',
        args: { type: MC, id: which, reveal: 'secrets' },
        talosctl: talosctl.get({ context: meta.name, nodes: [node] }, 'mc', which, { yaml: true }),
      };
      type Outcome = { node: string; ok: boolean; value?: MachineConfigView; error?: { code: string; message: string } };
      const [result] = await mutate<Outcome>(request, async () => {
        if (!meta.roles.includes('os:admin')) {
          return [
            {
              node,
              ok: false,
              error: {
                code: 'PERMISSION_DENIED',
                message: `Revealing secrets needs os:admin; this identity has ${meta.roles.join(', ') || 'no roles'}.`,
              },
            },
          ];
        }
        try {
          const { item, body } = await config(identityId, node, which);
          const count = redactConfig(body);
          return [{ node, ok: true, value: view(node, which, item, body, false, count.redactedPaths, count.documents) }];
        } catch (error) {
          const e = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
          return [{ node, ok: false, error: { code: e.code, message: e.message } }];
        }
      });
      if (!result?.ok || !result.value)
        throw new AppError((result?.error?.code as never) ?? 'INTERNAL', result?.error?.message ?? 'Reveal failed.');
      return result.value;
    },
    'configs.diff': async ({ identityId, left, right, hidePerNode }) => {
      const [a, b] = await Promise.all([config(identityId, left.node, left.which), config(identityId, right.node, right.which)]);
      return diffConfigs(a.body, b.body, hidePerNode);
    },
    'resources.kinds': async ({ identityId, node }) => {
      const client = await sessions.client(identityId);
      return (await client.resourceDefinitions(node)).map((k) => ({
        type: k.type,
        namespace: k.namespace,
        displayType: k.displayType,
        aliases: k.aliases,
        columns: k.printColumns.map((c) => c.name),
        sensitive: k.sensitive,
      }));
    },
    'resources.list': async ({ identityId, nodes, type, namespace }) => {
      const client = await sessions.client(identityId);
      const kind = await kindOf(client, nodes[0]!, type).catch(() => null);
      return fanOut(nodes, async (node) => (await client.listResources(node, namespace, type)).map((item) => toRow(item, kind)));
    },
    'resources.get': async ({ identityId, node, type, namespace, id }) => {
      const client = await sessions.client(identityId);
      return { yaml: resourceYaml(node, await client.getResource(node, namespace, type, id)) };
    },
    'files.list': async ({ identityId, node, path }) => {
      const client = await sessions.client(identityId);
      const entries = await client.list(node, { root: path });
      return entries
        .filter((e) => e.relativeName !== '.')
        .map((e) => ({
          name: e.relativeName || e.name.slice(e.name.lastIndexOf('/') + 1),
          path: e.name,
          mode: formatFileMode(e.mode),
          isDir: e.isDir,
          size: Number(e.size),
          uid: e.uid,
          gid: e.gid,
          modified: formatModified(Number(e.modified)),
          link: e.link,
          error: e.error,
        }));
    },
    'files.read': async ({ identityId, node, path }) => {
      const client = await sessions.client(identityId);
      const meta = await identities.meta(identityId);
      if (!meta.roles.includes('os:admin'))
        throw new AppError('PERMISSION_DENIED', `Reading files needs os:admin; this identity has ${meta.roles.join(', ') || 'no roles'}.`);
      const bytes = await client.read(node, path, MAX_FILE_BYTES);
      return { base64: bytes.toString('base64'), size: bytes.length };
    },
  };
}
