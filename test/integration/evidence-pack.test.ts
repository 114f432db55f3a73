import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import { evidenceSchema, type Evidence, type StoredPack } from '../../shared/domain/evidence';
import { chromiumPdfPrinter } from '../../electron/browser/chromium-pdf';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import { OPENSSL_RECIPE, SHA256SUM_RECIPE } from '../../electron/services/bundles/manifest';
import { scanForSecrets } from '../../electron/services/bundles/secret-scan';
import { readBundle, verifyBundle } from '../../electron/services/bundles/verify-bundle';
import { isSecretField } from '../../electron/services/config/redact';
import { validateSbom } from '../../electron/services/evidence/sbom';
import { machineConfigBody } from '../../electron/talos/client';
import { timings } from '../../lab/server/lifecycle';
import type { Lab } from '../../lab/cluster';
import { labClient } from '../helpers/lab-identity';

const run = promisify(execFile);
let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;
const admin = 'practice:admin@lab';
const reader = 'practice:reader@lab';
const NODES = ['10.5.0.2', '10.5.0.3', '10.5.0.4'];
const W1 = '10.5.0.3';

async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as Response<C>;
}
const lab = (): Lab => services.lab.current()!;
const evidenceOf = async (pack: StoredPack): Promise<Evidence> =>
  evidenceSchema.parse(JSON.parse(await readFile(path.join(pack.path, 'evidence.json'), 'utf8')));
const generate = (identityId: string) => call('evidence.generate', { identityId, nodes: NODES, from: null, runId: `run-${identityId}` });

/** Runs a VERIFY.md command in the pack folder; true when it exits 0. */
async function stock(command: string, cwd: string): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run('sh', ['-c', command], { cwd });
    return { ok: true, out: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let adminPack: StoredPack;
let readerPack: StoredPack;

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-evidence-'));
  services = createServices({ host: 'browser', version: 'test', dataDir: dir, emit: () => undefined, pdfPrinter: chromiumPdfPrinter() });
  dispatch = createDispatcher(services);
  await call('vault.setup', { passphrase: 'evidence test passphrase' });
  await call('lab.start', { nodes: 3, controlPlanes: 1 });
  adminPack = await generate(admin);
  readerPack = await generate(reader);
}, 120_000);

afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('evidence pack contents', () => {
  it('collects every section as admin, with verdicts per control from the mapping file', async () => {
    const e = await evidenceOf(adminPack);
    expect(e.cluster).toBe('lab');
    expect(e.collector).toMatchObject({ identity: 'practice admin@lab', roles: ['os:admin'] });
    expect(e.nodes.map((n) => n.node)).toEqual(NODES);
    for (const n of e.nodes) {
      const p = lab().nodes.find((x) => x.id.ip === n.node)!;
      expect(n.talos!.tag).toBe(p.talosVersion);
      expect(n.machineType).toBe(p.id.type);
      expect(n.security).not.toBeNull();
      expect(n.extensions!.some((x) => x.isSchematic)).toBe(true);
      expect(n.kspp!.sysctls).toHaveLength(16);
      expect(n.listening!.sockets.some((l) => l.port === 50000)).toBe(true);
      expect(n.listening!.shellListeners).toEqual([]);
      expect(n.services!.length).toBeGreaterThan(3);
      expect(n.time).toMatchObject({ synced: true });
      expect(n.config!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(n.sbom!.components).toBeGreaterThan(10);
    }
    expect(e.nodes[0]!.listening!.sockets.map((l) => l.port)).toEqual(expect.arrayContaining([2379, 2380, 6443]));
    expect(e.drift.map((d) => d.role).sort()).toEqual(['controlplane', 'worker']);
    expect(e.access.identities.map((i) => i.name).sort()).toEqual(['practice admin@lab', 'practice operator@lab', 'practice reader@lab']);
    expect(e.access.clusterCa!.daysLeft).toBeGreaterThan(300);
    expect(e.access.rbac).toMatchObject({ state: 'enabled', basis: '10.5.0.2 reports features.rbac=true in Version' });
    expect(e.access.limitation).toMatch(/cannot be enumerated/);
    expect(e.changeHistory.verification.state).not.toBe('broken');
    expect(e.controls.map((c) => c.id)).toEqual(['CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'CC7.1', 'CC7.2', 'CC8.1']);
    expect(e.controls.find((c) => c.id === 'CC6.6')!.iso27001).toContain('A.8.20');
    expect(e.items.find((i) => i.id === 'no-shell-listeners')!.verdict).toBe('pass');
    const html = await readFile(path.join(adminPack.path, 'report.html'), 'utf8');
    for (const heading of [
      'Summary',
      'Controls',
      'Nodes',
      'Configuration drift',
      'Access',
      'Change history',
      'What could not be collected',
    ])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    const pdf = await readFile(path.join(adminPack.path, 'report.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(e.unavailable).toEqual([]);
  });

  it('records each pack in the audit trail: who, when, which nodes, and the SHA-256 of its zip and manifest', async () => {
    const entries = (await services.audit.entries()).filter((e) => e.method === 'nodeglass/EvidencePack');
    expect(entries.map((e) => [e.kind, e.identity.name, e.nodes])).toEqual([
      ['intent', 'practice admin@lab', NODES],
      ['outcome', 'practice admin@lab', NODES],
      ['intent', 'practice reader@lab', NODES],
      ['outcome', 'practice reader@lab', NODES],
    ]);
    const sha256 = async (file: string) =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    for (const [k, pack] of [adminPack, readerPack].entries()) {
      const [intent, outcome] = [entries[2 * k]!, entries[2 * k + 1]!];
      expect(outcome.operation).toBe(intent.operation);
      expect(intent.osUser).toBe(os.userInfo().username);
      // The intent is written before collection starts, the outcome after the pack is on disk.
      expect(intent.time <= pack.collectedAt && pack.collectedAt <= outcome.time).toBe(true);
      const note = `evidence pack ${path.basename(pack.zipPath)} sha256:${await sha256(pack.zipPath)} (manifest.json sha256:${await sha256(path.join(pack.path, 'manifest.json'))})`;
      expect(outcome.outcomes).toEqual(NODES.map((node) => ({ node, ok: true, message: note })));
    }
  });

  it('lists what a reader could not collect, and why, and still produces the pack', async () => {
    const e = await evidenceOf(readerPack);
    const missing = e.unavailable.filter((u) => u.item === 'machine config');
    expect(missing.map((u) => u.node)).toEqual(NODES);
    expect(missing[0]!.reason).toMatch(/needs os:admin/);
    expect(e.nodes.every((n) => n.config === null && n.security !== null && n.sbom !== null)).toBe(true);
    expect(e.drift.every((d) => d.inSync === null)).toBe(true);
    expect(e.items.find((i) => i.id === 'config-no-drift')!.verdict).toBe('unknown');
    expect(e.access.rbac).toMatchObject({ state: 'enabled', basis: expect.stringMatching(/PermissionDenied/) });
    const html = await readFile(path.join(readerPack.path, 'report.html'), 'utf8');
    expect(html).toContain('Machine configs are a sensitive resource');
    expect(verifyBundle(await readBundle(readerPack.path)).ok).toBe(true);
  });

  it("validates each node's SBOM against CycloneDX 1.6 and lists the lab's Talos components, extensions and images", async () => {
    const client = labClient(lab(), 'reader');
    try {
      for (const node of NODES) {
        const text = await readFile(path.join(adminPack.path, 'nodes', node, 'sbom.cdx.json'), 'utf8');
        expect(await validateSbom(text)).toBeNull();
        const bom = JSON.parse(text) as {
          specVersion: string;
          components: {
            name: string;
            version?: string;
            type: string;
            properties?: { name: string; value: string }[];
            hashes?: { content: string }[];
          }[];
        };
        expect(bom.specVersion).toBe('1.6');
        const items = await client.compliance.sbom(node);
        for (const item of items) expect(bom.components.some((c) => c.name === item.name && (c.version ?? '') === item.version)).toBe(true);
        const ext = bom.components
          .filter((c) => c.properties?.some((p) => p.name === 'talos:extension' && p.value === 'true'))
          .map((c) => c.name);
        expect(ext.sort()).toEqual([...new Set(items.filter((i) => i.extension).map((i) => i.name))].sort());
        const images = await client.images.list(node, 'cri');
        const containers = bom.components.filter((c) => c.type === 'container');
        for (const image of images) {
          expect(containers.some((c) => c.properties!.some((p) => p.name === 'talos:image-name' && p.value === image.name))).toBe(true);
          expect(containers.some((c) => `sha256:${c.hashes?.[0]?.content}` === image.digest)).toBe(true);
        }
      }
    } finally {
      client.close();
    }
  });
});

describe('verification without Nodeglass', () => {
  it('verifies the untouched pack with openssl, sha256sum and npm run evidence:verify (folder and zip)', async () => {
    const verify = await readFile(path.join(adminPack.path, 'VERIFY.md'), 'utf8');
    expect(verify).toContain(OPENSSL_RECIPE);
    expect(verify).toContain(SHA256SUM_RECIPE);
    const sig = await stock(OPENSSL_RECIPE, adminPack.path);
    expect(sig.out).toContain('Signature Verified Successfully');
    expect(sig.ok).toBe(true);
    const sums = await stock(SHA256SUM_RECIPE, adminPack.path);
    expect(sums.ok).toBe(true);
    expect(sums.out).toMatch(/evidence\.json: OK/);
    const fingerprint = await stock('openssl pkey -pubin -in signing-key.pub.pem -outform DER | sha256sum', adminPack.path);
    const status = await call('evidence.status', {});
    expect(fingerprint.out.split(' ')[0]).toBe(status.signingKeyFingerprint);
    expect(verify).toContain(status.signingKeyFingerprint!);
    for (const target of [adminPack.path, adminPack.zipPath]) {
      const { stdout } = await run('npx', ['tsx', 'scripts/evidence-verify.ts', target, '--key', status.signingKeyFingerprint!]);
      expect(stdout).toContain('VERIFIED');
    }
  }, 60_000);

  it('fails every way of checking when one byte of any kind of file, or the signature, changes', async () => {
    const files = [...(await readBundle(adminPack.path)).keys()];
    const kinds = new Map<string, string>();
    for (const f of files) kinds.set(f.replace(/^nodes\/[^/]+\//, 'nodes/*/'), f);
    expect([...kinds.keys()].sort()).toEqual([
      'VERIFY.md',
      'controls.json',
      'evidence.json',
      'evidence.schema.json',
      'manifest.json',
      'manifest.sig',
      'nodes/*/machine-config.redacted.yaml',
      'nodes/*/sbom.cdx.json',
      'report.html',
      'report.pdf',
      'signing-key.pub.pem',
    ]);
    for (const file of kinds.values()) {
      const copy = await mkdtemp(path.join(dir, 'tampered-'));
      await cp(adminPack.path, copy, { recursive: true });
      const target = path.join(copy, file);
      const bytes = await readFile(target);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      await writeFile(target, bytes);
      expect(verifyBundle(await readBundle(copy)).ok, file).toBe(false);
      const sig = await stock(OPENSSL_RECIPE, copy);
      const sums = await stock(SHA256SUM_RECIPE, copy);
      expect(sig.ok && sums.ok, `${file}: openssl ${sig.ok}, sha256sum ${sums.ok}`).toBe(false);
      await rm(copy, { recursive: true });
    }
  }, 60_000);

  it('holds no private key and no unredacted secret of the cluster anywhere', async () => {
    const files = await readBundle(adminPack.zipPath);
    expect(scanForSecrets(files)).toEqual([]);
    const client = labClient(lab(), 'admin');
    const secrets = new Set<string>();
    try {
      for (const node of NODES) {
        const body = machineConfigBody(await client.getResource(node, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1'));
        const walk = (v: unknown, key: string) => {
          if (Array.isArray(v)) v.forEach((x) => walk(x, key));
          else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
          else if (typeof v === 'string' && v.length >= 8 && isSecretField(key, v)) secrets.add(v);
        };
        for (const doc of parseAllDocuments(body)) walk(doc.toJS(), '');
      }
    } finally {
      client.close();
    }
    const contexts = (parse(lab().talosconfig) as { contexts: Record<string, { key: string }> }).contexts;
    for (const ctx of Object.values(contexts)) {
      secrets.add(ctx.key);
      secrets.add(Buffer.from(ctx.key, 'base64').toString('utf8').split('\n')[1]!);
    }
    expect(secrets.size).toBeGreaterThan(5);
    for (const [name, data] of files) {
      const text = Buffer.from(data).toString('latin1');
      for (const secret of secrets) expect(text.includes(secret), `${name} contains a secret`).toBe(false);
      expect(text, name).not.toMatch(/PRIVATE KEY/);
    }
  });
});

describe('comparing packs', () => {
  it('shows exactly a config apply and an upgrade between two packs', async () => {
    const client = labClient(lab(), 'admin');
    try {
      const item = await client.getResource(W1, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1');
      const docs = parseAllDocuments(machineConfigBody(item));
      docs[0]!.setIn(['machine', 'sysctls', 'net.ipv4.tcp_keepalive_time'], '600');
      const yaml = docs.map((d) => d.toString({ indent: 4, lineWidth: 0 }).replace(/^---\n/, '')).join('---\n');
      await call('configs.apply', { identityId: admin, node: W1, yaml, mode: 'no-reboot', dryRun: false });
      const before = lab().nodes.find((n) => n.id.ip === '10.5.0.4')!.talosVersion;
      await client.upgrade('10.5.0.4', 'ghcr.io/siderolabs/installer:v1.14.0');
      await expect.poll(async () => client.compliance.installedVersion('10.5.0.4').catch(() => null), { timeout: 15_000 }).toBe('v1.14.0');
      await expect.poll(async () => (await client.services('10.5.0.4').catch(() => [])).length, { timeout: 15_000 }).toBeGreaterThan(3);
      const after = await generate(admin);
      const comparison = await call('evidence.compare', { before: adminPack.folder, after: after.folder });
      const summary = comparison.changes.map((c) => `${c.area} ${c.node ?? '-'} ${c.what}`).sort();
      expect(summary).toEqual(
        [
          `config ${W1} machine config SHA-256 (redacted, canonical)`,
          'drift - worker configs in sync',
          `drift - worker drift`,
          'version 10.5.0.4 Talos version',
        ].sort(),
      );
      const version = comparison.changes.find((c) => c.what === 'Talos version')!;
      expect(version).toMatchObject({ before, after: 'v1.14.0' });
      expect(comparison.changes.find((c) => c.what === 'worker drift')!.after).toBe('10.5.0.4 machine.sysctls');
      expect(comparison.markdown).toContain('| version | 10.5.0.4 | Talos version |');
    } finally {
      client.close();
    }
  }, 90_000);
});
