import type { ControlResult, Evidence, EvidenceItem, NodeEvidence, Verdict } from '../../../shared/domain/evidence';
import controls from './controls.json';

type Inputs = Pick<Evidence, 'nodes' | 'drift' | 'access' | 'changeHistory'>;

/**
 * One verdict per node from data that arrived: a node that did not report the item makes the item
 * `unknown` unless another node already fails it. Never `pass` on missing data.
 */
function perNode(
  nodes: NodeEvidence[],
  judge: (n: NodeEvidence) => { verdict: Verdict; note: string } | null,
): { verdict: Verdict; detail: string } {
  const notes: string[] = [];
  let fail = false;
  let unknown = nodes.length === 0;
  for (const n of nodes) {
    const r = judge(n);
    if (!r) {
      unknown = true;
      notes.push(`${n.node}: not collected`);
    } else {
      if (r.verdict === 'fail') fail = true;
      if (r.verdict === 'unknown') unknown = true;
      if (r.verdict !== 'pass' || r.note) notes.push(`${n.node}: ${r.note}`);
    }
  }
  return { verdict: fail ? 'fail' : unknown ? 'unknown' : 'pass', detail: notes.join('; ') || `all ${nodes.length} nodes` };
}

const item = (id: string, title: string, r: { verdict: Verdict; detail: string }): EvidenceItem => ({ id, title, ...r });

/** The evidence items the controls mapping points at, each with a verdict and the facts behind it. */
export function evaluateItems(e: Inputs): EvidenceItem[] {
  const { nodes, drift, access, changeHistory } = e;
  const expiring = access.identities.filter((i) => i.daysLeft < 0);
  const chain = changeHistory.verification;
  return [
    item('identities-listed', 'Every identity this console holds for the cluster is listed with its roles and expiry', {
      verdict: access.identities.length ? 'pass' : 'unknown',
      detail: `${access.identities.length} identities; ${access.limitation}`,
    }),
    item('identities-valid', 'No listed identity is expired', {
      verdict: access.identities.length === 0 ? 'unknown' : expiring.length ? 'fail' : 'pass',
      detail: expiring.length ? `expired: ${expiring.map((i) => i.name).join(', ')}` : 'all within validity',
    }),
    item('cluster-ca-valid', "The cluster's OS CA is within its validity", {
      verdict: !access.clusterCa ? 'unknown' : access.clusterCa.daysLeft < 0 ? 'fail' : 'pass',
      detail: access.clusterCa ? `${access.clusterCa.subject}, ${access.clusterCa.daysLeft} days left` : 'CA not available',
    }),
    item('rbac-enabled', 'Talos API RBAC is enabled', {
      verdict: access.rbac.state === 'enabled' ? 'pass' : access.rbac.state === 'disabled' ? 'fail' : 'unknown',
      detail: access.rbac.basis,
    }),
    item(
      'no-shell-listeners',
      'No SSH, telnet or shell service listens on any node',
      perNode(nodes, (n) =>
        n.listening
          ? n.listening.shellListeners.length
            ? { verdict: 'fail', note: n.listening.shellListeners.map((l) => `${l.proto} ${l.address}:${l.port}`).join(', ') }
            : { verdict: 'pass', note: '' }
          : null,
      ),
    ),
    item(
      'secure-boot',
      'Nodes booted with Secure Boot',
      perNode(nodes, (n) =>
        n.security ? { verdict: n.security.secureBoot ? 'pass' : 'fail', note: n.security.secureBoot ? '' : 'Secure Boot off' } : null,
      ),
    ),
    item(
      'module-signatures',
      'Kernel module signatures are enforced',
      perNode(nodes, (n) =>
        n.security
          ? {
              verdict: n.security.moduleSignatureEnforced ? 'pass' : 'fail',
              note: n.security.moduleSignatureEnforced ? '' : 'not enforced',
            }
          : null,
      ),
    ),
    item(
      'kspp-enforced',
      'KSPP kernel hardening parameters have their expected values',
      perNode(nodes, (n) => {
        if (!n.kspp) return null;
        const bad = n.kspp.sysctls.filter((p) => !p.ok).map((p) => `${p.sysctl}=${p.actual ?? 'absent'} (expected ${p.expected})`);
        const missing = n.kspp.cmdlineMissing.map((a) => `cmdline lacks ${a}`);
        return bad.length || missing.length ? { verdict: 'fail', note: [...bad, ...missing].join(', ') } : { verdict: 'pass', note: '' };
      }),
    ),
    item(
      'services-healthy',
      'Every running service reports healthy',
      perNode(nodes, (n) => {
        if (!n.services) return null;
        const bad = n.services.filter((s) => s.health === 'fail').map((s) => s.id);
        return bad.length ? { verdict: 'fail', note: `unhealthy: ${bad.join(', ')}` } : { verdict: 'pass', note: '' };
      }),
    ),
    item(
      'time-synced',
      'Node clocks are synchronized',
      perNode(nodes, (n) => (n.time ? { verdict: n.time.synced ? 'pass' : 'fail', note: n.time.synced ? '' : 'not in sync' } : null)),
    ),
    item(
      'sbom-present',
      'A software bill of materials exists for every node',
      perNode(nodes, (n) => (n.sbom ? { verdict: 'pass', note: '' } : null)),
    ),
    item(
      'versions-consistent',
      'All nodes run the same Talos version',
      (() => {
        const tags = new Set(nodes.map((n) => n.talos?.tag).filter(Boolean));
        const missing = nodes.some((n) => !n.talos);
        return {
          verdict: tags.size > 1 ? 'fail' : missing || tags.size === 0 ? 'unknown' : 'pass',
          detail: [...tags].join(', ') || 'no version collected',
        };
      })(),
    ),
    item('config-no-drift', 'Nodes of the same role share one machine config (per-node fields aside)', {
      verdict: drift.length === 0 || drift.some((d) => d.inSync === null) ? 'unknown' : drift.every((d) => d.inSync) ? 'pass' : 'fail',
      detail:
        drift
          .map((d) => `${d.role}: ${d.inSync === null ? 'not collected' : d.inSync ? 'in sync' : `${d.changes.length} differences`}`)
          .join('; ') || 'no configs collected',
    }),
    item('audit-chain-intact', "This console's audit trail verifies (hash chain and seal)", {
      verdict: chain.state === 'broken' ? 'fail' : chain.state === 'intact' && chain.seal === 'valid' ? 'pass' : 'unknown',
      detail: `state ${chain.state}, seal ${chain.seal}, ${chain.count} entries, head ${chain.head.slice(0, 16)}`,
    }),
  ];
}

const WORST: Verdict[] = ['fail', 'unknown', 'pass'];

/** Per control of the mapping data file: the worst verdict of its evidence items. */
export function evaluateControls(items: EvidenceItem[]): ControlResult[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  return controls.controls.map((c) => {
    const verdicts = c.evidence.map((id) => byId.get(id)?.verdict ?? 'unknown');
    return {
      id: c.id,
      framework: c.framework,
      title: c.title,
      iso27001: c.iso27001,
      verdict: WORST.find((v) => verdicts.includes(v)) ?? 'unknown',
      evidence: c.evidence,
    };
  });
}

export const CONTROL_ITEM_IDS = [...new Set(controls.controls.flatMap((c) => c.evidence))];
