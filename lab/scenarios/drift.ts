import { parseDocument } from 'yaml';
import { putMachineConfig } from '../model/node-resources';
import type { LabNode } from '../model/node';

/**
 * Someone changed one node's machine config by hand: it now differs structurally from the other nodes of its role
 * (a sysctl and a kubelet flag the others lack), in the active and the persisted config alike. Per-node values
 * (hostname, addresses, certSANs) differ on every node and are not drift.
 */
export function stageDrift(node: LabNode): () => void {
  const before = { ...node.config };
  const doc = parseDocument(node.config.active.split(/^---$/m)[0] ?? '');
  doc.setIn(['machine', 'sysctls'], { 'net.core.somaxconn': '65535', 'vm.max_map_count': '262144' });
  doc.setIn(['machine', 'kubelet', 'extraArgs'], { 'max-pods': '250' });
  const rest = node.config.active.split(/^---$/m).slice(1);
  const drifted = [doc.toString({ indent: 4, lineWidth: 0 }), ...rest].join('---');
  node.config = { active: drifted, persistent: drifted };
  putMachineConfig(node, 'v1alpha1', drifted);
  putMachineConfig(node, 'persistent', drifted);
  return () => {
    node.config = before;
    putMachineConfig(node, 'v1alpha1', before.active);
    putMachineConfig(node, 'persistent', before.persistent);
  };
}
