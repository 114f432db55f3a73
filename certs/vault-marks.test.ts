import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTalosconfig } from '../test/helpers/talosconfigs';
import { parseTalosconfig } from './talosconfig-import';
import { passphraseWrapper, Vault } from './vault';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-vault-marks-'));
  file = path.join(dir, 'identities.json');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const wrapper = () => passphraseWrapper('correct horse battery staple', { N: 2 ** 14, r: 8, p: 1 });
const minted = { by: 'admin@prod', byFingerprint: 'AA', at: '2026-11-28T08:00:00.000Z', ttlSeconds: 3600, shift: false };

async function identity(name: string) {
  const { yaml } = await makeTalosconfig([{ name, roles: ['os:reader'] }]);
  return parseTalosconfig(yaml).contexts[0]!.identity!;
}

async function reopen(): Promise<Vault> {
  const vault = new Vault(file);
  await vault.load();
  await vault.unlock(wrapper());
  return vault;
}

describe('marks in the vault', () => {
  it('binds read-only, label and colour to the key: switching read-only off in the file makes the key unusable', async () => {
    const vault = new Vault(file);
    await vault.create(wrapper());
    const [stored] = await vault.add([
      {
        identity: await identity('reader@prod'),
        name: 'reader@prod',
        cluster: 'prod',
        marks: { label: 'prod', colour: 'red', readOnly: true, minted },
      },
    ]);
    expect((await reopen()).decryptKey(stored!.id).toString()).toMatch(/PRIVATE KEY/);

    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"readOnly": true', '"readOnly": false'));
    const edited = await reopen();
    expect(edited.list()[0]!.readOnly).toBe(false);
    expect(() => edited.decryptKey(stored!.id)).toThrow(/changed outside Nodeglass/);
  });

  it('replaces a renewed certificate and key under the same id, name, endpoints and marks', async () => {
    const vault = new Vault(file);
    await vault.create(wrapper());
    const old = await identity('reader@prod');
    const [stored] = await vault.add([
      { identity: old, name: 'night reader', cluster: 'prod', marks: { label: 'prod', colour: 'red', readOnly: false, minted } },
    ]);
    await vault.update(stored!.id, { endpoints: ['10.0.0.9:50000'] });
    const renewed = await identity('reader@prod');
    await vault.replace(stored!.id, renewed, { ...minted, at: '2026-11-28T09:00:00.000Z' });

    const after = (await reopen()).list()[0]!;
    expect(after).toMatchObject({ id: stored!.id, name: 'night reader', endpoints: ['10.0.0.9:50000'], label: 'prod', colour: 'red' });
    expect(after.fingerprint).toBe(renewed.fingerprint);
    expect(after.fingerprint).not.toBe(old.fingerprint);
    expect(after.minted?.at).toBe('2026-11-28T09:00:00.000Z');
    expect((await reopen()).decryptKey(stored!.id).toString()).toBe(renewed.keyPem);
  });
});
