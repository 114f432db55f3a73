import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Response } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';

let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;
const ADMIN = 'practice:admin@lab';
const OPERATOR = 'practice:operator@lab';
const CP = '10.5.0.2';
const W = '10.5.0.3';
const HOUR = 3600;

async function call<C extends Channel>(channel: C, request: unknown): Promise<Response<C>> {
  const result = await dispatch(channel, request);
  if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), result.error);
  return result.value as Response<C>;
}
async function refusal(channel: Channel, request: unknown): Promise<AppErrorShape> {
  const result = await dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} was not refused`);
  return result.error;
}
const mint = (identityId: string, extra: Record<string, unknown> = {}) =>
  call('identities.mint', {
    identityId,
    node: CP,
    roles: ['os:reader'],
    ttlSeconds: HOUR,
    name: null,
    label: null,
    colour: null,
    readOnly: false,
    ...extra,
  });
const allEntries = () => call('audit.list', { from: null, to: null, node: null, identity: null, method: null, outcome: null });
/** kubelet's event history on a node, read through the API: a refused restart leaves it as it was. */
const kubeletEvents = async (node: string) => {
  const [r] = await call('talos.services', { identityId: OPERATOR, nodes: [node] });
  if (!r?.ok) throw new Error('services failed');
  return r.value.find((s) => s.id === 'kubelet')!.events.length;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-least-privilege-'));
  services = createServices({ host: 'browser', version: 'test', dataDir: dir, emit: () => undefined, env: {}, home: dir });
  dispatch = createDispatcher(services, () => undefined);
  await call('vault.setup', { passphrase: 'least privilege passphrase' });
  await call('lab.start', { nodes: 2 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('minting identities over mTLS', () => {
  let readerId = '';

  it('mints a 1 h reader through the admin identity, straight into the vault, with the admin’s endpoints and nodes', async () => {
    const { identity, talosctl } = await mint(ADMIN, { label: 'prod', colour: 'red' });
    readerId = identity.id;
    expect(identity).toMatchObject({
      name: 'reader@lab',
      roles: ['os:reader'],
      practice: false,
      label: 'prod',
      colour: 'red',
      readOnly: false,
      minted: { by: 'practice admin@lab', ttlSeconds: HOUR, shift: false },
      warnings: [],
    });
    const admin = (await call('identities.list', {})).find((i) => i.id === ADMIN)!;
    expect(identity.endpoints).toEqual(admin.endpoints);
    expect(identity.nodes).toEqual(admin.nodes);
    expect(identity.caFingerprint).toBe(admin.caFingerprint);
    expect(Math.abs(Date.parse(identity.notAfter) - Date.now() - HOUR * 1000)).toBeLessThan(60_000);
    expect(talosctl).toBe("talosctl --context 'practice admin@lab' -n 10.5.0.2 config new talosconfig.yaml --roles os:reader --crt-ttl 1h");

    const vault = await readFile(path.join(dir, 'identities.json'), 'utf8');
    const stored = (JSON.parse(vault) as { identities: { id: string; certPem: string; key: { data: string } }[] }).identities.find(
      (i) => i.id === readerId,
    )!;
    expect(stored.key.data).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(vault).not.toMatch(/PRIVATE KEY/);
    const notAfter = Date.parse(new X509Certificate(stored.certPem).validTo);
    expect(Math.abs(notAfter - Date.now() - HOUR * 1000)).toBeLessThan(60_000);
  });

  it('connects as the reader, and the node itself refuses it a restart', async () => {
    const [version] = await call('talos.version', { identityId: readerId, nodes: [W] });
    expect(version).toMatchObject({ ok: true, value: { tag: expect.stringMatching(/^v1\./) } });
    const before = await kubeletEvents(W);
    const [restart] = await call('talos.serviceAction', { identityId: readerId, nodes: [W], service: 'kubelet', action: 'restart' });
    // "not authorized" is apid's answer: Nodeglass let the call through and the node refused it.
    expect(restart).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('not authorized') } });
    expect(await kubeletEvents(W)).toBe(before);
  });

  it('records who minted what, with the new fingerprint and never the key', async () => {
    const reader = (await call('identities.list', {})).find((i) => i.id === readerId)!;
    const entry = (await allEntries()).find(
      (e) => e.method === '/machine.MachineService/GenerateClientConfiguration' && e.kind === 'outcome' && e.outcomes[0]?.ok,
    )!;
    expect(entry).toMatchObject({
      identity: { name: 'practice admin@lab', roles: ['os:admin'] },
      nodes: [CP],
      args: { purpose: 'mint', roles: ['os:reader'], ttl: '1h', ttlSeconds: HOUR },
      outcomes: [{ node: CP, ok: true, message: expect.stringContaining(reader.fingerprint) }],
    });
    const trail = await readFile(path.join(dir, 'audit', 'audit.jsonl'), 'utf8');
    expect(trail).not.toMatch(/PRIVATE KEY|least privilege passphrase/);
    const material = await services.identities.store.material(readerId);
    try {
      const body = material.keyPem.toString('utf8').split('\n').slice(1, -2).join('');
      expect(body.length).toBeGreaterThan(40);
      expect(trail).not.toContain(body);
    } finally {
      material.keyPem.fill(0);
    }
  });

  it('is refused to an operator identity by the node, and recorded as failed', async () => {
    const error = await refusal('identities.mint', {
      identityId: OPERATOR,
      node: CP,
      roles: ['os:reader'],
      ttlSeconds: HOUR,
      name: null,
      label: null,
      colour: null,
      readOnly: false,
    });
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('needs os:admin') });
    const failed = (await allEntries()).find(
      (e) => e.identity.name === 'practice operator@lab' && e.kind === 'outcome' && !e.outcomes[0]?.ok,
    );
    expect(failed?.method).toBe('/machine.MachineService/GenerateClientConfiguration');
  });

  it('shows Talos’ own error for a zero lifetime, and refuses a worker', async () => {
    const zero = await refusal('identities.mint', {
      identityId: ADMIN,
      node: CP,
      roles: ['os:reader'],
      ttlSeconds: 0,
      name: null,
      label: null,
      colour: null,
      readOnly: false,
    });
    expect(zero.code).toBe('INVALID_ARGUMENT');
    expect(zero.message).toBe(
      '10.5.0.2 refused the request: crt_ttl should be positive. Talos needs a certificate lifetime longer than zero; choose one.',
    );
    const worker = await refusal('identities.mint', {
      identityId: ADMIN,
      node: W,
      roles: ['os:reader'],
      ttlSeconds: HOUR,
      name: null,
      label: null,
      colour: null,
      readOnly: false,
    });
    expect(worker).toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('Mint through a control-plane node') });
  });

  it('mints any combination of roles and names it after them', async () => {
    const { identity } = await mint(ADMIN, { roles: ['os:operator', 'os:etcd:backup'], node: null });
    expect(identity.name).toBe('etcd:backup+operator@lab');
    expect(identity.roles).toEqual(['os:etcd:backup', 'os:operator']);
    const [etcd] = await call('talos.etcd', { identityId: identity.id, nodes: [CP] });
    expect(etcd?.ok).toBe(true);
  });

  it('refuses to mint while the vault is locked, before asking the node or writing to the trail', async () => {
    const before = (await allEntries()).length;
    await call('vault.lock', {});
    try {
      expect(
        await refusal('identities.mint', {
          identityId: ADMIN,
          node: CP,
          roles: ['os:reader'],
          ttlSeconds: HOUR,
          name: null,
          label: null,
          colour: null,
          readOnly: false,
        }),
      ).toMatchObject({
        code: 'VAULT_LOCKED',
      });
    } finally {
      await call('vault.unlock', { passphrase: 'least privilege passphrase' });
    }
    expect((await allEntries()).length).toBe(before);
  });
});

describe('read-only identities', () => {
  it('refuses every mutating call at the host, before the node sees it, and allows reads and reveals', async () => {
    const marked = await call('identities.setReadOnly', { id: ADMIN, readOnly: true });
    expect(marked.readOnly).toBe(true);
    const before = await kubeletEvents(W);
    const refused = await refusal('talos.serviceAction', { identityId: ADMIN, nodes: [W], service: 'kubelet', action: 'restart' });
    expect(refused).toEqual({
      code: 'READ_ONLY',
      message:
        'practice admin@lab is open read-only, so Nodeglass refuses changes with it. Turn read-only off in Identities if you mean to act.',
    });
    expect(await kubeletEvents(W)).toBe(before);
    expect(
      (
        await refusal('identities.mint', {
          identityId: ADMIN,
          node: CP,
          roles: ['os:reader'],
          ttlSeconds: HOUR,
          name: null,
          label: null,
          colour: null,
          readOnly: false,
        })
      ).code,
    ).toBe('READ_ONLY');
    expect((await call('talos.version', { identityId: ADMIN, nodes: [W] }))[0]?.ok).toBe(true);
    expect((await call('configs.reveal', { identityId: ADMIN, node: CP, which: 'v1alpha1' })).redacted).toBe(false);

    // A rolling operation names only its plan: the host finds the plan's identity and refuses it too.
    const plan = await call('operations.plan', {
      identityId: ADMIN,
      nodes: [W],
      action: { kind: 'service', service: 'kubelet', action: 'restart' },
      workerBatchSize: 1,
      gateTimeoutSeconds: 60,
    });
    expect((await refusal('operations.start', { planId: plan.id, clusterName: 'lab', quorumOverride: null })).code).toBe('READ_ONLY');

    await call('identities.setReadOnly', { id: ADMIN, readOnly: false });
    const [restart] = await call('talos.serviceAction', { identityId: ADMIN, nodes: [W], service: 'kubelet', action: 'restart' });
    expect(restart?.ok).toBe(true);
    const toggles = (await allEntries())
      .filter((e) => e.method === 'nodeglass/SetReadOnly' && e.kind === 'intent')
      .map((e) => e.args.readOnly);
    expect(toggles).toEqual([false, true]);
  });

  it('keeps read-only, label and colour in the vault across a restart', async () => {
    const { identity } = await mint(ADMIN, { name: 'prod reader', readOnly: true, label: 'prod', colour: 'red' });
    const fresh = createServices({ host: 'browser', version: 'test', dataDir: dir, emit: () => undefined, env: {}, home: dir });
    try {
      const freshDispatch = createDispatcher(fresh, () => undefined);
      await freshDispatch('vault.unlock', { passphrase: 'least privilege passphrase' });
      const list = await freshDispatch('identities.list', {});
      expect(list.ok && (list.value as Response<'identities.list'>).find((i) => i.id === identity.id)).toMatchObject({
        readOnly: true,
        label: 'prod',
        colour: 'red',
      });
      const refused = await freshDispatch('talos.serviceAction', {
        identityId: identity.id,
        nodes: [W],
        service: 'kubelet',
        action: 'restart',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    } finally {
      await fresh.dispose();
    }
    const relabelled = await call('identities.mark', { id: identity.id, label: '  ', colour: null });
    expect(relabelled).toMatchObject({ label: null, colour: null, readOnly: true });
  });
});

describe('on-call shifts', () => {
  let operatorId = '';

  it('mints an operator identity for the shift and locks the cluster’s admin identities at the host', async () => {
    const { shift, identity } = await call('shift.start', { identityId: ADMIN, node: CP, ttlSeconds: 8 * HOUR });
    operatorId = identity.id;
    expect(identity).toMatchObject({ name: 'shift operator@lab', roles: ['os:operator'], minted: { shift: true, ttlSeconds: 8 * HOUR } });
    expect(shift).toMatchObject({ active: true, operator: { id: operatorId }, startedBy: 'practice admin@lab', unlocked: [] });
    expect(shift.locked.map((l) => l.id)).toEqual([ADMIN]);
    expect(Math.abs(Date.parse(shift.endsAt) - Date.now() - 8 * HOUR * 1000)).toBeLessThan(60_000);
    expect((await call('identities.list', {})).find((i) => i.id === ADMIN)?.locked).toBe(true);

    expect(await refusal('talos.version', { identityId: ADMIN, nodes: [W] })).toMatchObject({
      code: 'IDENTITY_LOCKED',
      message: expect.stringContaining('give a reason to unlock it'),
    });
    expect((await refusal('shift.start', { identityId: OPERATOR, node: CP, ttlSeconds: HOUR })).code).toBe('FAILED_PRECONDITION');
    const [restart] = await call('talos.serviceAction', { identityId: operatorId, nodes: [W], service: 'kubelet', action: 'restart' });
    expect(restart?.ok).toBe(true);
  });

  it('unlocks an admin identity only with a reason, and audits it', async () => {
    expect((await refusal('shift.unlock', { identityId: ADMIN, reason: 'x' })).code).toBe('VALIDATION');
    const shift = await call('shift.unlock', { identityId: ADMIN, reason: 'etcd quorum lost, need a snapshot restore' });
    expect(shift.unlocked).toMatchObject([{ id: ADMIN, reason: 'etcd quorum lost, need a snapshot restore' }]);
    expect((await call('talos.version', { identityId: ADMIN, nodes: [W] }))[0]?.ok).toBe(true);
    const entry = (await allEntries()).find((e) => e.method === 'nodeglass/UnlockIdentity' && e.kind === 'outcome')!;
    expect(entry).toMatchObject({
      identity: { name: 'practice admin@lab' },
      args: { reason: 'etcd quorum lost, need a snapshot restore', shift: 'shift operator@lab' },
      outcomes: [{ ok: true }],
      talosctl: "talosctl config context 'practice admin@lab'",
    });
  });

  it('keeps the lock across a restart of the app', async () => {
    await call('shift.end', {});
    await call('shift.start', { identityId: ADMIN, node: null, ttlSeconds: HOUR });
    const fresh = createServices({ host: 'browser', version: 'test', dataDir: dir, emit: () => undefined, env: {}, home: dir });
    try {
      const freshDispatch = createDispatcher(fresh, () => undefined);
      await freshDispatch('lab.start', { nodes: 2 });
      expect(await freshDispatch('talos.version', { identityId: ADMIN, nodes: [W] })).toMatchObject({
        ok: false,
        error: { code: 'IDENTITY_LOCKED' },
      });
    } finally {
      await fresh.dispose();
    }
  });

  it('ends: the shift identity leaves the vault and the admin identities are free again', async () => {
    const { removed } = await call('shift.end', {});
    expect(removed).toBe(true);
    expect(await call('shift.status', {})).toBeNull();
    const list = await call('identities.list', {});
    expect(list.some((i) => i.minted?.shift)).toBe(false);
    expect(list.find((i) => i.id === ADMIN)?.locked).toBe(false);
    expect((await call('talos.version', { identityId: ADMIN, nodes: [W] }))[0]?.ok).toBe(true);
    expect((await allEntries()).filter((e) => e.method === 'nodeglass/EndShift' && e.kind === 'intent')).toHaveLength(2);
  });
});

describe('renewal', () => {
  it('mints the same roles and lifetime through an admin and swaps them in under the same id once they connect', async () => {
    const { identity: old } = await mint(ADMIN, { name: 'short reader', ttlSeconds: 120, label: 'prod', colour: 'red' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { identity: renewed, talosctl } = await call('identities.renew', { id: old.id, identityId: ADMIN, node: null });
    expect(renewed).toMatchObject({ id: old.id, name: 'short reader', roles: ['os:reader'], label: 'prod', colour: 'red' });
    expect(renewed.fingerprint).not.toBe(old.fingerprint);
    expect(Date.parse(renewed.notAfter)).toBeGreaterThan(Date.parse(old.notAfter));
    expect(renewed.lifetimeSeconds).toBe(120);
    expect(talosctl).toBe("talosctl --context 'practice admin@lab' config new 'short reader.yaml' --roles os:reader --crt-ttl 2m");
    expect((await call('talos.version', { identityId: old.id, nodes: [W] }))[0]?.ok).toBe(true);
    const entry = (await allEntries()).find((e) => e.args.purpose === 'renew' && e.kind === 'outcome')!;
    expect(entry.args).toMatchObject({ renews: 'short reader', replacesFingerprint: old.fingerprint, ttl: '2m' });
    expect(entry.outcomes[0]?.message).toContain(renewed.fingerprint);
  });

  it('keeps the old certificate when the new one does not connect', async () => {
    const { identity: old } = await mint(ADMIN, { name: 'unreachable reader', ttlSeconds: 600 });
    await call('identities.update', { id: old.id, endpoints: ['127.0.0.1:1'], nodes: old.nodes });
    const error = await refusal('identities.renew', { id: old.id, identityId: ADMIN, node: null });
    expect(error.message).toMatch(/^The renewed certificate did not connect, so the current one was kept: /);
    const after = (await call('identities.list', {})).find((i) => i.id === old.id)!;
    expect(after.fingerprint).toBe(old.fingerprint);
    const failed = (await allEntries()).find((e) => e.args.purpose === 'renew' && e.kind === 'outcome')!; // newest first
    expect(failed.outcomes[0]).toMatchObject({ ok: false });
  });
});

describe('handing an identity over in an encrypted bundle', () => {
  it('exports one file that a fresh profile imports with the passphrase, marks included, and that connects', async () => {
    const { identity } = await mint(ADMIN, { name: 'handover reader', label: 'prod', colour: 'red', readOnly: true });
    const bundle = await call('identities.exportBundle', { id: identity.id, passphrase: 'a passphrase for the handover' });
    expect(bundle).toMatchObject({ filename: 'handover-reader.nodeglass-bundle', path: null });
    const content = bundle.content!;
    expect(content).not.toMatch(/PRIVATE KEY|handover reader|a passphrase for the handover/);
    expect(JSON.parse(content)).toMatchObject({ format: 'nodeglass-identity-bundle', version: 1, kdf: { name: 'scrypt', N: 2 ** 17 } });
    const exported = (await allEntries()).find((e) => e.method === 'nodeglass/ExportBundle' && e.kind === 'outcome')!;
    expect(exported).toMatchObject({ identity: { name: 'handover reader' }, outcomes: [{ ok: true }] });
    expect(JSON.stringify(exported)).not.toContain('a passphrase for the handover');

    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-handover-'));
    const other = createServices({ host: 'browser', version: 'test', dataDir: otherDir, emit: () => undefined, env: {}, home: otherDir });
    const otherDispatch = createDispatcher(other, () => undefined);
    try {
      await otherDispatch('vault.setup', { passphrase: 'the other profile' });
      expect(await otherDispatch('identities.importBundle', { content, passphrase: 'not the passphrase' })).toMatchObject({
        ok: false,
        error: { code: 'VAULT_WRONG_PASSPHRASE', message: expect.stringContaining('does not open this bundle') },
      });
      const edited = JSON.parse(content) as { kdf: { N: number } };
      edited.kdf.N = 2 ** 14;
      expect(
        await otherDispatch('identities.importBundle', { content: JSON.stringify(edited), passphrase: 'a passphrase for the handover' }),
      ).toMatchObject({ ok: false, error: { code: 'VAULT_WRONG_PASSPHRASE' } });
      expect(await otherDispatch('identities.importBundle', { content: 'kind: Config', passphrase: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'IDENTITY_INVALID', message: expect.stringContaining('not a Nodeglass identity bundle') },
      });

      const report = await otherDispatch('identities.importBundle', { content, passphrase: 'a passphrase for the handover' });
      expect(report).toMatchObject({ ok: true, value: { imported: [{ name: 'handover reader', renamed: false }] } });
      const list = await otherDispatch('identities.list', {});
      const imported = (list.ok ? (list.value as Response<'identities.list'>) : []).find((i) => i.name === 'handover reader')!;
      expect(imported).toMatchObject({
        fingerprint: identity.fingerprint,
        roles: ['os:reader'],
        label: 'prod',
        colour: 'red',
        readOnly: true,
        minted: { by: 'practice admin@lab' },
      });
      expect(await otherDispatch('talos.version', { identityId: imported.id, nodes: [W] })).toMatchObject({
        ok: true,
        value: [{ ok: true }],
      });
      expect(await readFile(path.join(otherDir, 'identities.json'), 'utf8')).not.toMatch(/PRIVATE KEY/);
    } finally {
      await other.dispose();
      await rm(otherDir, { recursive: true, force: true });
    }
    // Five scrypt runs at the real cost (N = 2^17): two vaults, the bundle, two openings.
  }, 120_000);

  it('refuses a short passphrase', async () => {
    expect((await refusal('identities.exportBundle', { id: ADMIN, passphrase: 'short' })).code).toBe('VALIDATION');
  });
});

describe('nothing outside the vault is rewritten', () => {
  it('leaves ~/.talos/config as it was through import, mint, renewal, marks, read-only and exports', async () => {
    const config = path.join(dir, '.talos', 'config');
    await mkdir(path.dirname(config), { recursive: true });
    await writeFile(config, services.lab.current()!.talosconfig, { mode: 0o600 });
    const before = { text: await readFile(config, 'utf8'), stat: await stat(config) };

    const [found] = await call('identities.discover', {});
    expect(found).toMatchObject({ path: config, source: 'home', error: null });
    const draft = await call('identities.openDiscovered', { source: 'home' });
    const report = await call('identities.import', { draftId: draft.draftId, contexts: ['admin@lab'] });
    const admin = (await call('identities.list', {})).find((i) => i.name === report.imported[0]!.name)!;
    const { identity: minted } = await mint(admin.id, { name: 'from the home config' });
    await call('identities.renew', { id: minted.id, identityId: admin.id, node: null });
    await call('identities.renew', { id: admin.id, identityId: admin.id, node: null });
    await call('identities.mark', { id: admin.id, label: 'prod', colour: 'red' });
    await call('identities.setReadOnly', { id: admin.id, readOnly: true });
    await call('identities.setReadOnly', { id: admin.id, readOnly: false });
    await call('identities.exportBundle', { id: admin.id, passphrase: 'a passphrase for the handover' });
    // An export goes to the browser's download (or the desktop's own save dialog), never to a path the renderer names.
    expect(await call('identities.export', { id: admin.id, acknowledgePlaintextKey: true })).toMatchObject({ path: null });
    expect(await refusal('identities.export', { id: admin.id, path: '~/.talos/config', acknowledgePlaintextKey: true })).toMatchObject({
      code: 'VALIDATION',
    });

    const after = await stat(config);
    expect(await readFile(config, 'utf8')).toBe(before.text);
    expect(after.mtimeMs).toBe(before.stat.mtimeMs);
    expect(after.ino).toBe(before.stat.ino);
    expect(await readdir(path.dirname(config))).toEqual(['config']);
  }, 60_000);
});
