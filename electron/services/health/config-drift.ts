import { diffConfigs } from '../config/structural-diff';
import { isSecretField, REDACTED } from '../config/redact';
import type { NodeEvidence, Role } from './evidence';

export interface Drift {
  node: string;
  hostname: string;
  role: Role;
  /** The nodes it was compared with (the role's reference first). */
  against: string[];
  /** Config paths that differ (per-node fields and secrets excluded). */
  paths: string[];
}

/** The differing paths of two configs, structural only: per-node fields hidden, secret values never compared. */
function structuralPaths(left: string, right: string): string[] {
  return diffConfigs(left, right, true)
    .changes.filter((c) => c.left !== REDACTED && c.right !== REDACTED && !isSecretField(c.path.split('.').pop() ?? '', null))
    .map((c) => c.path);
}

/**
 * Config drift between nodes of one role. The reference is the node that agrees with most of its role (the first on
 * a tie), and every node that differs from it is reported. Nodes without a config (not os:admin, or the call
 * failed) are left out; the health check says so.
 */
export function configDrift(nodes: NodeEvidence[]): Drift[] {
  const out: Drift[] = [];
  for (const role of ['controlplane', 'worker'] as const) {
    const group = nodes.filter((n) => n.role === role && n.config);
    if (group.length < 2) continue;
    const differs = new Map<string, string[]>();
    const key = (a: number, b: number) => `${Math.min(a, b)}/${Math.max(a, b)}`;
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) {
        try {
          differs.set(key(i, j), structuralPaths(group[i]!.config!, group[j]!.config!));
        } catch {
          differs.set(key(i, j), []);
        }
      }
    const agreeing = group.map((_, i) => group.filter((__, j) => j !== i && !differs.get(key(i, j))!.length).length);
    const reference = agreeing.indexOf(Math.max(...agreeing));
    group.forEach((n, i) => {
      if (i === reference) return;
      const paths = differs.get(key(reference, i))!;
      if (paths.length) out.push({ node: n.node, hostname: n.hostname ?? n.node, role, against: [group[reference]!.node], paths });
    });
  }
  return out;
}
