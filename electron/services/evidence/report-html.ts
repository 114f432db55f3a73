import type { Evidence, NodeEvidence, Verdict } from '../../../shared/domain/evidence';

const esc = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const VERDICT_TEXT: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' };
const verdict = (v: Verdict) => `<span class="v ${v}">${VERDICT_TEXT[v]}</span>`;
const yesNo = (b: boolean | null | undefined) =>
  b === null || b === undefined ? '<span class="muted">not collected</span>' : b ? 'yes' : 'no';
const notCollected = '<p class="muted">Not collected (see “What could not be collected”).</p>';

function table(headers: string[], rows: string[][], cls = ''): string {
  if (!rows.length) return '<p class="muted">None.</p>';
  return `<table class="${cls}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function nodeSection(n: NodeEvidence): string {
  const s = n.security;
  const head = `${esc(n.node)}${n.hostname ? ` · ${esc(n.hostname)}` : ''}${n.machineType ? ` · ${esc(n.machineType)}` : ''}`;
  return `<section class="node" id="node-${esc(n.node)}">
<h3>${head}${n.reachable ? '' : ' <span class="v fail">UNREACHABLE</span>'}</h3>
<h4>Talos</h4>
${
  n.talos
    ? table(
        ['Version', 'Installed (Versions)', 'Platform', 'Architecture', 'Install image'],
        [
          [
            esc(n.talos.tag),
            esc(n.talos.installed ?? '—'),
            esc(n.talos.platform),
            esc(n.talos.arch),
            esc(n.talos.installImage ?? 'needs os:admin'),
          ],
        ],
      )
    : notCollected
}
<h4>Security state</h4>
${
  s
    ? table(
        ['Secure Boot', 'Booted with UKI', 'FIPS', 'SELinux', 'Module signatures enforced', 'PCR signing key'],
        [
          [
            yesNo(s.secureBoot),
            yesNo(s.bootedWithUKI),
            esc(s.fipsState),
            esc(s.selinuxState),
            yesNo(s.moduleSignatureEnforced),
            `<code>${esc(s.pcrSigningKeyFingerprint ?? '—')}</code>`,
          ],
        ],
      )
    : notCollected
}
<h4>Extensions</h4>
${
  n.extensions
    ? table(
        ['Name', 'Version', 'Image'],
        n.extensions.map((e) => [
          esc(e.isSchematic ? 'schematic (Image Factory)' : e.name),
          `<code>${esc(e.version)}</code>`,
          esc(e.image),
        ]),
      )
    : notCollected
}
<h4>Kernel hardening (KSPP)</h4>
${
  n.kspp
    ? table(
        ['Parameter', 'Expected', 'Actual', ''],
        n.kspp.sysctls.map((p) => [
          `<code>${esc(p.sysctl)}</code>`,
          esc(p.expected),
          esc(p.actual ?? 'absent'),
          verdict(p.ok ? 'pass' : 'fail'),
        ]),
      ) +
      `<p>Kernel command line: <code>${esc(n.kspp.cmdline ?? 'not reported')}</code>${
        n.kspp.cmdlineMissing.length ? ` — <span class="v fail">missing ${esc(n.kspp.cmdlineMissing.join(', '))}</span>` : ''
      }</p>`
    : notCollected
}
<h4>Listening sockets</h4>
${
  n.listening
    ? `<p>${
        n.listening.shellListeners.length
          ? `<span class="v fail">Shell-like listeners: ${esc(n.listening.shellListeners.map((l) => `${l.proto} ${l.address}:${l.port}`).join(', '))}</span>`
          : 'No SSH, telnet or shell service listens on this node (host network namespace, Netstat).'
      }</p>` +
      table(
        ['Protocol', 'Address', 'Port', 'Process'],
        n.listening.sockets.map((l) => [esc(l.proto), `<code>${esc(l.address)}</code>`, String(l.port), esc(l.process ?? '—')]),
        'compact',
      )
    : notCollected
}
<h4>Services</h4>
${
  n.services
    ? table(
        ['Service', 'State', 'Health'],
        n.services.map((x) => [esc(x.id), esc(x.state), x.health === 'fail' ? verdict('fail') : esc(x.health)]),
        'compact',
      )
    : notCollected
}
<h4>Time</h4>
${n.time ? `<p>Synchronized: ${yesNo(n.time.synced)} · epoch ${n.time.epoch} · sync disabled: ${yesNo(n.time.syncDisabled)}</p>` : notCollected}
<h4>Machine config (redacted)</h4>
${
  n.config
    ? `<p>File <code>${esc(n.config.file)}</code>, ${n.config.redactedFields} secret fields redacted. SHA-256 of the canonical redacted form: <code>${esc(n.config.sha256)}</code></p>`
    : notCollected
}
<h4>Software bill of materials</h4>
${n.sbom ? `<p><code>${esc(n.sbom.file)}</code> (CycloneDX 1.6 JSON, ${n.sbom.components} components incl. ${n.images?.length ?? 0} image names)</p>` : notCollected}
</section>`;
}

/** The self-contained, printable report of a pack (no scripts, no external resources). */
export function renderReport(e: Evidence): string {
  const chain = e.changeHistory.verification;
  const broken = chain.state === 'broken';
  const failing = e.controls.filter((c) => c.verdict === 'fail').length;
  const unknown = e.controls.filter((c) => c.verdict === 'unknown').length;
  const itemById = new Map(e.items.map((i) => [i.id, i]));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Compliance evidence — ${esc(e.cluster)} — ${esc(e.collectedAt)}</title>
<style>
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;border-bottom:2px solid #d0d7de;padding-bottom:4px;margin-top:28px}
h3{font-size:15px;margin:18px 0 6px}h4{font-size:13px;margin:12px 0 4px;color:#444}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f5f7}table.compact td{padding:1px 6px}code{font:12px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.v{font-weight:700;padding:0 4px;border-radius:3px}.v.pass{color:#116329;background:#dafbe1}.v.fail{color:#fff;background:#cf222e}.v.unknown{color:#6e4b00;background:#fff1c2}
.muted{color:#6e7781}.summary td:first-child{width:200px;font-weight:600}.broken{border:2px solid #cf222e;background:#ffebe9;padding:8px;color:#82071e;font-weight:600}
.node{page-break-inside:auto;border-top:1px solid #eee}.page{page-break-after:always}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}
</style></head><body>
<div class="page">
<h1>Compliance evidence: ${esc(e.cluster)}</h1>
<p class="muted">Nodeglass ${esc(e.generator.version)} · evidence schema v${e.schemaVersion} · verify with VERIFY.md</p>
<h2>Summary</h2>
<table class="summary"><tbody>
<tr><td>Cluster</td><td>${esc(e.cluster)} (${e.nodes.length} nodes: ${esc(e.nodes.map((n) => n.node).join(', '))})</td></tr>
<tr><td>Collected at</td><td>${esc(e.collectedAt)}</td></tr>
<tr><td>Change history period</td><td>${esc(e.period.from ?? 'beginning of the trail')} to ${esc(e.period.to)}</td></tr>
<tr><td>Collecting identity</td><td>${esc(e.collector.identity)} — ${esc(e.collector.subject)} · roles ${esc(e.collector.roles.join(', ') || 'none')} · certificate <code>${esc(e.collector.fingerprint)}</code> · OS user ${esc(e.collector.osUser)}</td></tr>
<tr><td>Pack signing key</td><td><code>${esc(e.signingKeyFingerprint)}</code> (SHA-256 of the public key)</td></tr>
<tr><td>Controls</td><td>${e.controls.length - failing - unknown} pass · ${failing} fail · ${unknown} unknown</td></tr>
<tr><td>Not collected</td><td>${e.unavailable.length ? `${e.unavailable.length} items (listed below)` : 'nothing'}</td></tr>
</tbody></table>
<h2>Controls</h2>
${table(
  ['Control', 'ISO 27001', 'Verdict', 'Evidence'],
  e.controls.map((c) => [
    `<b>${esc(c.framework)} ${esc(c.id)}</b><br><span class="muted">${esc(c.title)}</span>`,
    esc(c.iso27001.join(', ')),
    verdict(c.verdict),
    c.evidence
      .map((id) => {
        const i = itemById.get(id);
        return i ? `${verdict(i.verdict)} ${esc(i.title)}<br><span class="muted">${esc(i.detail)}</span>` : esc(id);
      })
      .join('<br>'),
  ]),
)}
</div>
<h2>Nodes</h2>
${e.nodes.map(nodeSection).join('\n')}
<h2>Configuration drift</h2>
${table(
  ['Role', 'Nodes', 'State', 'Differences (per-node fields aside)'],
  e.drift.map((d) => [
    esc(d.role),
    esc(d.nodes.join(', ')),
    d.inSync === null ? verdict('unknown') : verdict(d.inSync ? 'pass' : 'fail'),
    d.changes
      .map((c) => `${esc(c.node)}: <code>${esc(c.path)}</code> ${esc(c.kind)} (${esc(c.reference ?? '—')} → ${esc(c.value ?? '—')})`)
      .join('<br>') || (d.inSync === null ? 'configs not collected' : 'none'),
  ]),
)}
<h2>Access</h2>
<p>Talos API RBAC: <b>${esc(e.access.rbac.state)}</b> (${esc(e.access.rbac.basis)})</p>
<p>Cluster CA: ${e.access.clusterCa ? `${esc(e.access.clusterCa.subject)}, expires ${esc(e.access.clusterCa.notAfter)} (${e.access.clusterCa.daysLeft} days left)` : 'not available'}</p>
${table(
  ['Identity', 'Subject', 'Roles', 'Key', 'Fingerprint', 'Valid from', 'Valid to', 'Days left'],
  e.access.identities.map((i) => [
    esc(i.name) + (i.practice ? ' <span class="muted">(practice)</span>' : ''),
    esc(i.subject),
    esc(i.roles.join(', ')),
    esc(i.keyAlgorithm),
    `<code>${esc(i.fingerprint)}</code>`,
    esc(i.notBefore),
    esc(i.notAfter),
    i.daysLeft < 0 ? verdict('fail') + ' expired' : String(i.daysLeft),
  ]),
)}
<p><b>Limitation:</b> ${esc(e.access.limitation)}</p>
<h2>Change history</h2>
${
  broken
    ? `<p class="broken">The audit trail is BROKEN: ${esc(chain.firstBroken ? `${chain.firstBroken.file} line ${chain.firstBroken.line}: ${chain.firstBroken.reason}` : 'see problems')}. ${chain.problems.length} problems found. The entries below cannot be relied on.</p>`
    : ''
}
<p>Chain verification: ${verdict(chain.state === 'intact' && chain.seal === 'valid' ? 'pass' : broken ? 'fail' : 'unknown')} state <b>${esc(chain.state)}</b>, seal <b>${esc(chain.seal)}</b>, ${chain.count} entries in the trail, head <code>${esc(chain.head)}</code>, ${chain.segments.length} segment(s).</p>
${table(
  ['#', 'Time', 'Kind', 'Identity', 'Method', 'Nodes', 'Outcome', 'Hash'],
  e.changeHistory.entries.map((x) => [
    String(x.seq),
    esc(x.time),
    esc(x.kind ?? 'entry'),
    esc(`${x.identity.name} (${x.identity.roles.join(', ')})`),
    `<code>${esc(x.method)}</code>`,
    esc(x.nodes.join(', ')),
    esc(x.outcomes.map((o) => `${o.node}: ${o.ok ? 'ok' : `failed ${o.code ?? ''}`}`).join('; ') || '—'),
    `<code>${esc(x.hash.slice(0, 16))}…</code>`,
  ]),
  'compact',
)}
<h2>What could not be collected</h2>
${table(
  ['Node', 'Item', 'Reason'],
  e.unavailable.map((u) => [esc(u.node ?? 'cluster'), esc(u.item), esc(u.reason)]),
)}
</body></html>
`;
}
