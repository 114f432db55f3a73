import type { Evidence, NodeEvidence, PackChange, PackComparison } from '../../../shared/domain/evidence';

type Area = PackChange['area'];

const str = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * "What changed since the last audit": versions, security state, extensions, KSPP values, config digests
 * and drift, identities and their expiry, listening sockets. Only differences are listed; an item that
 * was not collected in one pack is reported as such rather than as a change of value.
 */
export function comparePacks(before: Evidence, after: Evidence): PackComparison {
  const changes: PackChange[] = [];
  const add = (area: Area, node: string | null, what: string, b: unknown, a: unknown) => {
    const bs = str(b);
    const as = str(a);
    if (bs !== as) changes.push({ area, node, what, before: bs, after: as });
  };
  const beforeNodes = new Map(before.nodes.map((n) => [n.node, n]));
  const afterNodes = new Map(after.nodes.map((n) => [n.node, n]));
  for (const [node] of beforeNodes) if (!afterNodes.has(node)) add('nodes', node, 'node', 'present', null);
  for (const [node, a] of afterNodes) {
    const b = beforeNodes.get(node);
    if (!b) {
      add('nodes', node, 'node', null, 'present');
      continue;
    }
    compareNode(b, a, (area, what, x, y) => add(area, node, what, x, y));
  }
  const drift = (e: Evidence) => new Map(e.drift.map((d) => [d.role, d]));
  const db = drift(before);
  for (const [role, d] of drift(after)) {
    const b = db.get(role);
    add('drift', null, `${role} configs in sync`, b?.inSync ?? null, d.inSync);
    const paths = (x: typeof d | undefined) => (x ? x.changes.map((c) => `${c.node} ${c.path}`).sort() : []);
    const bp = new Set(paths(b));
    const ap = new Set(paths(d));
    for (const p of ap) if (!bp.has(p)) add('drift', null, `${role} drift`, null, p);
    for (const p of bp) if (!ap.has(p)) add('drift', null, `${role} drift`, p, null);
  }
  const ids = (e: Evidence) => new Map(e.access.identities.map((i) => [i.fingerprint, i]));
  const ib = ids(before);
  const ia = ids(after);
  for (const [fp, i] of ia) {
    const b = ib.get(fp);
    if (!b) add('identities', null, `identity ${i.name}`, null, `${i.subject}, ${i.roles.join(', ')}, until ${i.notAfter}`);
    else {
      add('identities', null, `identity ${i.name} roles`, b.roles.join(', '), i.roles.join(', '));
      if (b.daysLeft >= 0 !== i.daysLeft >= 0) add('identities', null, `identity ${i.name} expired`, b.daysLeft < 0, i.daysLeft < 0);
    }
  }
  for (const [fp, b] of ib)
    if (!ia.has(fp)) add('identities', null, `identity ${b.name}`, `${b.subject}, ${b.roles.join(', ')}, until ${b.notAfter}`, null);
  add('identities', null, 'cluster CA', before.access.clusterCa?.notAfter, after.access.clusterCa?.notAfter);
  add('identities', null, 'RBAC', before.access.rbac.state, after.access.rbac.state);
  return {
    before: { cluster: before.cluster, collectedAt: before.collectedAt },
    after: { cluster: after.cluster, collectedAt: after.collectedAt },
    changes,
  };
}

function compareNode(b: NodeEvidence, a: NodeEvidence, add: (area: Area, what: string, before: unknown, after: unknown) => void): void {
  add('version', 'Talos version', b.talos?.tag, a.talos?.tag);
  add('version', 'install image', b.talos?.installImage, a.talos?.installImage);
  if (b.security && a.security)
    for (const key of Object.keys(a.security) as (keyof NonNullable<NodeEvidence['security']>)[])
      add('security', key, b.security[key], a.security[key]);
  else add('security', 'security state', b.security ? 'collected' : null, a.security ? 'collected' : null);
  const ext = (n: NodeEvidence) => new Map((n.extensions ?? []).map((e) => [e.name, e.version]));
  if (b.extensions && a.extensions) {
    const eb = ext(b);
    const ea = ext(a);
    for (const [name, version] of ea) add('extensions', `extension ${name}`, eb.get(name) ?? null, version);
    for (const [name, version] of eb) if (!ea.has(name)) add('extensions', `extension ${name}`, version, null);
  }
  if (b.kspp && a.kspp) {
    const kb = new Map(b.kspp.sysctls.map((p) => [p.sysctl, p.actual]));
    for (const p of a.kspp.sysctls) add('kspp', p.sysctl, kb.get(p.sysctl) ?? null, p.actual);
    add('kspp', 'kernel command line', b.kspp.cmdline, a.kspp.cmdline);
  }
  if (b.config || a.config)
    add('config', 'machine config SHA-256 (redacted, canonical)', b.config?.sha256 ?? null, a.config?.sha256 ?? null);
  if (b.listening && a.listening) {
    const key = (l: { proto: string; address: string; port: number }) => `${l.proto} ${l.address}:${l.port}`;
    const lb = new Set(b.listening.sockets.map(key));
    const la = new Set(a.listening.sockets.map(key));
    for (const l of la) if (!lb.has(l)) add('listening', 'listening socket', null, l);
    for (const l of lb) if (!la.has(l)) add('listening', 'listening socket', l, null);
  }
}

/** The comparison as Markdown, for the auditor's file. */
export function comparisonMarkdown(c: PackComparison): string {
  const cell = (s: string | null) => (s === null ? '—' : s.replace(/\|/g, '\\|'));
  return [
    `# Evidence comparison: ${c.after.cluster}`,
    '',
    `Before: ${c.before.cluster}, collected ${c.before.collectedAt}  `,
    `After: ${c.after.cluster}, collected ${c.after.collectedAt}`,
    '',
    c.changes.length ? '| Area | Node | What | Before | After |\n|---|---|---|---|---|' : 'No differences.',
    ...c.changes.map((x) => `| ${x.area} | ${x.node ?? 'cluster'} | ${cell(x.what)} | ${cell(x.before)} | ${cell(x.after)} |`),
    '',
  ].join('\n');
}
