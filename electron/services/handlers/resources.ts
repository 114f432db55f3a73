import { AppError } from '../../../shared/errors';
import type { HandlersFor } from '../../../shared/handlers';
import { talosctl } from '../../../shared/talosctl';
import { resourceYaml, toRow } from '../resources/resource-row';
import { explainDenied, guardItem, isSensitiveType } from '../secrets/sensitive-gate';
import type { HandlerDeps } from './deps';
import { allOk } from './outcomes';

/** Resources as `talosctl get` shows them; a sensitive type goes through the one gate for secrets. */
export function resourceHandlers({ sessions, identities }: HandlerDeps): HandlersFor<'resources'> {
  const rolesOf = async (identityId: string) => (await identities.store.meta(identityId)).roles;
  return {
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
      const roles = await rolesOf(identityId);
      return sessions.perNode(identityId, nodes, async (c, node) => {
        const kinds = await c.resourceDefinitions(node).catch(() => null);
        const kind = kinds?.find((k) => k.type === type) ?? null;
        const sensitive = await isSensitiveType(client, node, type, kinds);
        const items = await c.listResources(node, namespace, type).catch((error: unknown) => {
          throw explainDenied(error, type, roles);
        });
        return items.map((item) => toRow(guardItem(item, sensitive).item, kind));
      });
    },
    'resources.get': async ({ identityId, node, type, namespace, id }) => {
      const client = await sessions.client(identityId);
      const sensitive = await isSensitiveType(client, node, type);
      const item = await client.getResource(node, namespace, type, id).catch(async (error: unknown) => {
        throw explainDenied(error, type, await rolesOf(identityId));
      });
      const guarded = guardItem(item, sensitive);
      return { yaml: resourceYaml(node, guarded.item), sensitive, redactedPaths: guarded.redacted, withheldPaths: guarded.withheld };
    },
    'resources.reveal': {
      intent: async ({ identityId, node, type, namespace, id }) => ({
        identityId,
        nodes: [node],
        method: '/cosi.resource.State/Get',
        args: { type, namespace, id, reveal: 'secrets' },
        talosctl: talosctl.get({ context: (await identities.store.meta(identityId)).name, nodes: [node] }, type, id, { yaml: true }),
      }),
      run: async ({ identityId, node, type, namespace, id }) => {
        const roles = await rolesOf(identityId);
        if (!roles.includes('os:admin'))
          throw new AppError('PERMISSION_DENIED', `Revealing secrets needs os:admin; this identity has ${roles.join(', ') || 'no roles'}.`);
        const client = await sessions.client(identityId);
        return { yaml: resourceYaml(node, await client.getResource(node, namespace, type, id)) };
      },
      outcomes: allOk,
    },
  };
}
