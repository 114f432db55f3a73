import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTalosconfig } from '../test/helpers/talosconfigs';
import { writeFileAtomic } from './atomic-file';
import type { ValidatedIdentity } from './identity-validation';
import { parseTalosconfig } from './talosconfig-import';
import { passphraseWrapper, Vault } from './vault';
import { scrypt, seal } from './vault-crypto';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-vault-integrity-'));
  file = path.join(dir, 'identities.json');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const PASS = 'correct horse battery staple';
/** A cheaper scrypt keeps these tests fast; the default cost has its own test. */
const FAST = { N: 2 ** 14, r: 8, p: 1 };
const wrapper = () => passphraseWrapper(PASS, FAST);

async function identities(...names: string[]): Promise<ValidatedIdentity[]> {
  const { yaml } = await makeTalosconfig(names.map((name, i) => ({ name, roles: [i === 0 ? 'os:admin' : 'os:reader'] })));
  return parseTalosconfig(yaml).contexts.map((c) => c.identity!);
}

async function reopen(unlockWith = wrapper()): Promise<Vault> {
  const vault = new Vault(file);
  await vault.load();
  await vault.unlock(unlockWith);
  return vault;
}

const readVault = async () =>
  JSON.parse(await readFile(file, 'utf8')) as {
    version: number;
    wrapping: { wrapped: { N: number } };
    identities: Record<string, unknown>[];
  };

describe('vault integrity', () => {
  it('keeps every identity when imports run at the same time', async () => {
    const vault = new Vault(file);
    await vault.create(wrapper());
    const [a, b, c] = await identities('a@lab', 'b@lab', 'c@lab');
    await Promise.all([a, b, c].map((identity, i) => vault.add([{ identity: identity!, name: `n${i}`, cluster: 'lab' }])));
    expect(
      vault
        .list()
        .map((i) => i.name)
        .sort(),
    ).toEqual(['n0', 'n1', 'n2']);
    expect(
      (await reopen())
        .list()
        .map((i) => i.name)
        .sort(),
    ).toEqual(['n0', 'n1', 'n2']);
  });

  it('writes files atomically through random, exclusively created temporary files', async () => {
    const target = path.join(dir, 'state.json');
    const contents = Array.from({ length: 30 }, (_v, i) => `content ${i} `.repeat(2000));
    await Promise.all(contents.map((c) => writeFileAtomic(target, c)));
    expect(contents).toContain(await readFile(target, 'utf8'));
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('detects a key moved to another identity and roles edited in the file', async () => {
    const vault = new Vault(file);
    await vault.create(wrapper());
    const [admin, reader, other] = await identities('admin@lab', 'reader@lab', 'other@lab');
    await vault.add([
      { identity: admin!, name: 'admin', cluster: 'lab' },
      { identity: reader!, name: 'reader', cluster: 'lab' },
      { identity: other!, name: 'other', cluster: 'lab' },
    ]);
    const stored = await readVault();
    const [first, second, third] = stored.identities;
    [first!.key, second!.key] = [second!.key, first!.key];
    third!.roles = ['os:admin'];
    await writeFile(file, JSON.stringify(stored));

    const reopened = await reopen();
    for (const identity of reopened.list()) {
      expect(identity.warnings[0]).toContain('changed outside Nodeglass');
      expect(() => reopened.decryptKey(identity.id)).toThrow(expect.objectContaining({ code: 'VAULT_CORRUPT' }));
    }
    expect(await reopened.remove(first!.id as string)).toBe(true);
  });

  it('re-seals the key when name, endpoints or nodes change, so the binding follows the metadata', async () => {
    const vault = new Vault(file);
    await vault.create(wrapper());
    const [admin] = await identities('admin@lab');
    const [added] = await vault.add([{ identity: admin!, name: 'admin', cluster: 'lab' }]);
    await vault.update(added!.id, { name: 'renamed', nodes: ['10.5.0.9'] });
    const reopened = await reopen();
    expect(reopened.list()[0]).toMatchObject({ name: 'renamed', nodes: ['10.5.0.9'], warnings: [] });
    const key = reopened.decryptKey(added!.id);
    expect(key.toString()).toContain('PRIVATE KEY');
  });

  it('uses scrypt N = 2^17 for a new vault and reports out-of-range parameters as VAULT_CORRUPT', { timeout: 60_000 }, async () => {
    const vault = new Vault(file);
    await vault.create(passphraseWrapper(PASS));
    const stored = await readVault();
    expect(stored.wrapping.wrapped.N).toBeGreaterThanOrEqual(2 ** 17);
    for (const N of [2 ** 31, 3, 2 ** 10]) {
      stored.wrapping.wrapped.N = N;
      await writeFile(file, JSON.stringify(stored));
      const edited = new Vault(file);
      await edited.load();
      await expect(edited.unlock(wrapper())).rejects.toMatchObject({
        code: 'VAULT_CORRUPT',
        message: expect.stringContaining(`N=${N}`),
      });
    }
  });

  it('zeroes the previous data key when unlocked again', async () => {
    const vault = new Vault(file);
    await vault.create(wrapper());
    const first = (vault as unknown as { dataKey: Buffer }).dataKey;
    await vault.unlock(wrapper());
    expect(first.equals(Buffer.alloc(32))).toBe(true);
    expect((vault as unknown as { dataKey: Buffer }).dataKey.equals(Buffer.alloc(32))).toBe(false);
  });

  it('upgrades a vault written by the previous version: binds its keys and strengthens scrypt', async () => {
    const [admin] = await identities('admin@lab');
    const dataKey = randomBytes(32);
    const salt = randomBytes(16);
    const kek = await scrypt(PASS, salt, { N: 2 ** 14, r: 8, p: 1 });
    const { keyPem, ...meta } = admin!;
    await writeFile(
      file,
      JSON.stringify({
        format: 'nodeglass-vault',
        version: 1,
        wrapping: { kind: 'passphrase', wrapped: { salt: salt.toString('base64'), N: 2 ** 14, r: 8, p: 1, sealed: seal(kek, dataKey) } },
        identities: [{ ...meta, id: 'old-1', name: 'admin', cluster: 'lab', key: seal(dataKey, Buffer.from(keyPem)) }],
      }),
    );
    const vault = await reopen(passphraseWrapper(PASS, { N: 2 ** 15, r: 8, p: 1 }));
    expect(vault.decryptKey('old-1').toString()).toBe(keyPem);
    const stored = await readVault();
    expect(stored.version).toBe(2);
    expect(stored.wrapping.wrapped.N).toBe(2 ** 15);
    expect((await reopen()).decryptKey('old-1').toString()).toBe(keyPem);
  });
});
