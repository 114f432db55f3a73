import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppRequest } from './app-protocol';
import { keyringWrapper, type SafeStorageLike } from './keyring-wrapper';
import { externalUrlToOpen, RENDERER_CSP, windowOptions } from './window-policy';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-desktop-'));
  await mkdir(path.join(dir, 'renderer', 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html>');
  await writeFile(path.join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'outside the renderer');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the app:// protocol', () => {
  const serve = (url: string) => serveAppRequest(url, path.join(dir, 'renderer'));

  it('serves the renderer with its CSP', async () => {
    const page = await serve('app://nodeglass/index.html');
    expect(page).toMatchObject({ status: 200, headers: { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' } });
    expect((await serve('app://nodeglass/assets/app.js')).headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses paths outside the renderer folder, other hosts and other schemes', async () => {
    for (const url of [
      'app://nodeglass/../secret.txt',
      'app://nodeglass/%2e%2e/secret.txt',
      'app://nodeglass/..%2fsecret.txt',
      'app://nodeglass/assets/..%2f..%2fsecret.txt',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://nodeglass/missing.js',
      'not a url',
    ])
      expect((await serve(url)).status, url).toBe(404);
  });
});

describe('the window policy', () => {
  it('opens only Talos documentation over https in the system browser', () => {
    expect(externalUrlToOpen('https://www.talos.dev/v1.13/reference/api/')).toBe('https://www.talos.dev/v1.13/reference/api/');
    expect(externalUrlToOpen('https://docs.siderolabs.com/talos')).toBe('https://docs.siderolabs.com/talos');
    for (const url of [
      'https://evil.example/',
      'http://www.talos.dev/',
      'https://www.talos.dev.evil.example/',
      'https://user:pw@www.talos.dev/',
      'https://www.talos.dev:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
    ])
      expect(externalUrlToOpen(url), url).toBeNull();
  });

  it('builds a sandboxed, isolated window without Node, webviews or insecure content', () => {
    expect(windowOptions('/app/preload.cjs').webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('the OS keyring wrapper', () => {
  const fakeSafeStorage = (backend = 'gnome_libsecret', available = true): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(`enc:${text}`),
    decryptString: (data) => {
      const text = data.toString();
      if (!text.startsWith('enc:')) throw new Error('cannot decrypt');
      return text.slice(4);
    },
  });
  const memoryStore = () => {
    const values = new Map<string, string>();
    return {
      path: '/profile/keyring.json',
      get: (k: string) => values.get(k),
      set: (k: string, v: string) => void values.set(k, v),
      values,
    };
  };

  it('wraps and unwraps the data key through the keyring, keeping only the wrapped key in the store', async () => {
    const store = memoryStore();
    const { wrapper, note } = keyringWrapper(fakeSafeStorage(), () => store, 'linux');
    expect(note).toBeNull();
    const key = Buffer.alloc(32, 7);
    expect(await wrapper!.wrap(key)).toEqual({ store: 'electron-store', key: 'vaultDataKey' });
    expect(store.values.get('vaultDataKey')).toBe(Buffer.from(`enc:${key.toString('base64')}`).toString('base64'));
    expect((await wrapper!.unwrap(null)).equals(key)).toBe(true);
  });

  it("refuses Linux's basic_text backend and an unavailable keyring, with a note", () => {
    expect(keyringWrapper(fakeSafeStorage('basic_text'), memoryStore, 'linux')).toMatchObject({
      wrapper: null,
      note: expect.stringContaining('basic_text'),
    });
    expect(keyringWrapper(fakeSafeStorage('basic_text'), memoryStore, 'darwin').wrapper).not.toBeNull();
    expect(keyringWrapper(fakeSafeStorage('x', false), memoryStore, 'darwin')).toMatchObject({ wrapper: null });
  });

  it('reports a missing or undecryptable wrapped key as VAULT_CORRUPT', async () => {
    const store = memoryStore();
    const { wrapper } = keyringWrapper(fakeSafeStorage(), () => store, 'linux');
    await expect(wrapper!.unwrap(null)).rejects.toMatchObject({
      code: 'VAULT_CORRUPT',
      message: expect.stringContaining('/profile/keyring.json'),
    });
    store.set('vaultDataKey', Buffer.from('garbage').toString('base64'));
    await expect(wrapper!.unwrap(null)).rejects.toMatchObject({ code: 'VAULT_CORRUPT', message: expect.stringContaining('keyring') });
  });
});
