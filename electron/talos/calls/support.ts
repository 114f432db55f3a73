import { DependencyEdgeType as Edge, InspectServiceService as I } from '../../../proto/gen/inspect/inspect';
import { Empty } from '../../../proto/gen/google/protobuf/empty';
import type { ControllerEdge } from '../../../shared/domain/support';
import type { TalosClient } from '../client';

const KIND: Record<Edge, ControllerEdge['kind']> = {
  [Edge.OUTPUT_EXCLUSIVE]: 'output-exclusive',
  [Edge.OUTPUT_SHARED]: 'output-shared',
  [Edge.INPUT_STRONG]: 'input-strong',
  [Edge.INPUT_WEAK]: 'input-weak',
  [Edge.INPUT_DESTROY_READY]: 'input-destroy-ready',
};

/** The pieces of `talosctl support` that have no other home: controller dependencies and PCI devices. */
export class SupportCalls {
  constructor(private readonly client: TalosClient) {}

  /** `talosctl inspect dependencies` (os:reader): which controller reads and writes which resource type. */
  async controllerDependencies(node: string): Promise<ControllerEdge[]> {
    const response = await this.client.connection.unary(I.controllerRuntimeDependencies, Empty.fromPartial({}), node);
    return (response.messages[0]?.edges ?? []).map((e) => ({
      controller: e.controllerName,
      kind: KIND[e.edgeType] ?? 'input-weak',
      namespace: e.resourceNamespace,
      type: e.resourceType,
      id: e.resourceId || null,
    }));
  }

  /** `/proc/bus/pci/devices` as the bundle's `devices` file (Read: os:admin only). */
  async pciDevices(node: string): Promise<string> {
    return (await this.client.read(node, '/proc/bus/pci/devices')).toString('utf8');
  }
}

/** The graph as Graphviz text, like the bundle's `dependencies.dot`: controllers as boxes, edges styled by kind. */
export function dependenciesDot(edges: ControllerEdge[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ['digraph {', '\tnode [fontname="sans-serif"];'];
  for (const c of [...new Set(edges.map((e) => e.controller))].sort()) lines.push(`\t${q(c)} [shape=box];`);
  for (const r of [...new Set(edges.map((e) => e.type))].sort()) lines.push(`\t${q(r)} [shape=ellipse];`);
  for (const e of edges) {
    const style = e.kind === 'input-weak' ? ' [style=dashed]' : e.kind === 'output-shared' ? ' [style=bold]' : '';
    lines.push(
      e.kind.startsWith('output') ? `\t${q(e.controller)} -> ${q(e.type)}${style};` : `\t${q(e.type)} -> ${q(e.controller)}${style};`,
    );
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
