import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdentities } from '../electron/services/identities';
import { makeTalosconfig } from '../test/helpers/talosconfigs';
import { passphraseWrapper, Vault } from './vault';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-vault-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const PASS = 'correct horse battery staple';

describe('the identity vault', () => {
  it('stores no key material, no passphrase and no key body on disk', async () => {
    const { yaml, contexts } = await makeTalosconfig([
      { name: 'admin@lab' },
      { name: 'ops@lab', keyType: 'ecdsa', roles: ['os:operator'] },
    ]);
    const service = createIdentities({ vaultPath: path.join(dir, 'identities.json'), home: dir, env: {} });
    await service.vault.setup(PASS);
    const report = await service.files.importYaml(yaml, null);
    expect(report.imported.map((i) => i.name)).toEqual(['admin@lab', 'ops@lab']);
    for (const file of await readdir(dir)) {
      const text = await readFile(path.join(dir, file), 'utf8');
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(PASS);
      for (const ctx of Object.values(contexts)) {
        const body = Buffer.from(ctx.key, 'base64').toString().split('\n').slice(1, -2).join('');
        expect(text).not.toContain(body);
        expect(text).not.toContain(ctx.key);
      }
    }
    const material = await service.store.material((await service.store.list())[0]!.id);
    expect(material.keyPem.toString()).toContain('PRIVATE KEY');
  });

  it('refuses a wrong passphrase with a clear error and keeps the file', async () => {
    const file = path.join(dir, 'identities.json');
    const vault = new Vault(file);
    await vault.create(passphraseWrapper(PASS));
    const before = await readFile(file, 'utf8');
    const again = new Vault(file);
    await again.load();
    await expect(again.unlock(passphraseWrapper('wrong passphrase'))).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('reports a corrupted or foreign store and never overwrites it', async () => {
    const file = path.join(dir, 'identities.json');
    await writeFile(file, '{"format":"something-else"}');
    const service = createIdentities({ vaultPath: file, home: dir, env: {} });
    await expect(service.vault.status()).rejects.toMatchObject({ code: 'VAULT_CORRUPT' });
    await expect(service.vault.setup(PASS)).rejects.toMatchObject({ code: 'VAULT_CORRUPT' });
    expect(await readFile(file, 'utf8')).toBe('{"format":"something-else"}');
    await writeFile(file, '{not json');
    await expect(new Vault(file).load()).rejects.toMatchObject({
      code: 'VAULT_CORRUPT',
      message: expect.stringContaining('left untouched'),
    });
  });

  it('imports nothing when a chosen context is invalid, and renames clashes', async () => {
    const service = createIdentities({ vaultPath: path.join(dir, 'identities.json'), home: dir, env: {} });
    await service.vault.setup(PASS);
    const good = await makeTalosconfig([{ name: 'admin@lab' }]);
    await service.files.importYaml(good.yaml, null);
    const again = await service.files.importYaml(good.yaml, null);
    expect(again.imported[0]).toMatchObject({ name: 'admin@lab-1', renamed: true });
    expect(again.warnings[0]).toContain('imported as "admin@lab-1"');
    const bad = await makeTalosconfig([
      { name: 'fine' },
      { name: 'old', leaf: { notBefore: new Date(Date.now() - 9e8), notAfter: new Date(Date.now() - 1e8) } },
    ]);
    await expect(service.files.importYaml(bad.yaml, null)).rejects.toMatchObject({
      code: 'IDENTITY_INVALID',
      message: expect.stringContaining('Nothing was imported'),
    });
    expect((await service.store.list()).map((i) => i.name)).toEqual(['admin@lab', 'admin@lab-1']);
  });

  it('offers $TALOSCONFIG and ~/.talos/config without importing them', async () => {
    const { yaml } = await makeTalosconfig([{ name: 'found@x' }]);
    await writeFile(path.join(dir, 'tc'), yaml);
    const service = createIdentities({
      vaultPath: path.join(dir, 'identities.json'),
      home: dir,
      env: { TALOSCONFIG: path.join(dir, 'tc') },
    });
    const found = await service.files.discover();
    expect(found).toEqual([{ path: path.join(dir, 'tc'), source: 'TALOSCONFIG', contexts: ['found@x'], error: null }]);
    expect(await service.store.list()).toEqual([]);
  });
});

describe('exporting an identity', () => {
  it('writes a talosconfig talosctl reads, refuses to overwrite, and needs the acknowledgement', async () => {
    const { yaml } = await makeTalosconfig([{ name: 'admin@lab' }]);
    const service = createIdentities({ vaultPath: path.join(dir, 'identities.json'), home: dir, env: {} });
    await service.vault.setup(PASS);
    await service.files.importYaml(yaml, null);
    const id = (await service.store.list())[0]!.id;
    const out = path.join(dir, 'export.yaml');
    await service.files.exportTalosconfig(id, out);
    const written = await readFile(out, 'utf8');
    expect(written).toMatch(/^context: admin@lab\ncontexts:\n {4}admin@lab:\n {8}endpoints:/);
    const { parseTalosconfig } = await import('./talosconfig-import');
    expect(parseTalosconfig(written).contexts[0]!.problems).toEqual([]);
    await expect(service.files.exportTalosconfig(id, out)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    const { createDispatcher } = await import('../electron/host/dispatch');
    const dispatch = createDispatcher({ handlers: { 'identities.export': async () => ({ path: out }) } as never }, () => undefined);
    expect(await dispatch('identities.export', { id })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it("writes only to an absolute path (the save dialog's answer), and names a missing folder", async () => {
    const { yaml } = await makeTalosconfig([{ name: 'admin@lab' }]);
    const service = createIdentities({ vaultPath: path.join(dir, 'identities.json'), home: dir, env: {} });
    await service.vault.setup(PASS);
    await service.files.importYaml(yaml, null);
    const id = (await service.store.list())[0]!.id;
    await expect(service.files.exportTalosconfig(id, 'relative-name')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(service.files.exportTalosconfig(id, '~/from-tilde')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(service.files.exportTalosconfig(id, path.join(dir, 'no', 'such', 'folder', 'file'))).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: `There is no folder ${path.join(dir, 'no', 'such', 'folder')}; create it or choose another place for the file.`,
    });
    expect(await service.files.talosconfigOf(id)).toMatchObject({
      filename: 'talosconfig-admin-lab',
      content: expect.stringMatching(/^context: admin@lab$/m),
    });
  });
});
