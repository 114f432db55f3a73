import type { HandlersFor } from '../../../shared/handlers';
import { resourceYaml, toRow } from '../resources/resource-row';
import type { HandlerDeps } from './deps';

export function resourceHandlers({ sessions }: HandlerDeps): HandlersFor<'resources'> {
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
      const kind = (await client.resourceDefinitions(nodes[0]!).catch(() => [])).find((k) => k.type === type) ?? null;
      return sessions.perNode(identityId, nodes, async (c, node) =>
        (await c.listResources(node, namespace, type)).map((item) => toRow(item, kind)),
      );
    },
    'resources.get': async ({ identityId, node, type, namespace, id }) => {
      const client = await sessions.client(identityId);
      return { yaml: resourceYaml(node, await client.getResource(node, namespace, type, id)) };
    },
  };
}
