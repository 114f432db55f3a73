import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { channelNames, channels, type Channel, type Response } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { startBrowserHost } from '../../electron/browser/server';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import { parseTalosconfig } from '../../certs/talosconfig-import';
import { makeTalosconfig } from '../helpers/talosconfigs';

const PASS = 'identity files passphrase';
let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;

const dispatcherOf = (s: Services) => createDispatcher(s, () => undefined);
async function call<C extends Channel>(channel: C, request: unknown, via = dispatch): Promise<Response<C>> {
  const result = await via(channel, request);
  if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), result.error);
  return result.value as Response<C>;
}
async function refusal(channel: unknown, request: unknown, via = dispatch): Promise<AppErrorShape> {
  const result = await via(channel, request);
  if (result.ok) throw new Error(`${String(channel)} was not refused`);
  return result.error;
}
/** The base64 of each key, and each line of its PEM body: what must never reach the renderer in an import preview. */
const keyPieces = (contexts: Record<string, { key: string }>) =>
  Object.values(contexts).flatMap(({ key }) => [
    key.slice(0, 40),
    ...Buffer.from(key, 'base64')
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('-----')),
  ]);
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-identity-files-'));
  services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: path.join(dir, 'data'),
    emit: () => undefined,
    env: {},
    home: dir,
  });
  dispatch = dispatcherOf(services);
  await call('vault.setup', { passphrase: PASS });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('no channel takes a file path from the renderer', () => {
  it('refuses a renderer that asks to write or read a path of its choosing, and writes nothing there', async () => {
    const { yaml } = await makeTalosconfig([{ name: 'paths@lab' }]);
    const draft = await call('identities.draft', { yaml, source: 'pasted text' });
    await call('identities.import', { draftId: draft.draftId, contexts: null });
    const id = (await call('identities.list', {})).find((i) => i.name === 'paths@lab')!.id;
    const target = path.join(dir, 'written-by-the-renderer');
    for (const given of [target, '~/.talos/config', 'relative/talosconfig', '../../etc/passwd']) {
      expect(await refusal('identities.export', { id, path: given, acknowledgePlaintextKey: true })).toMatchObject({ code: 'VALIDATION' });
      expect(await refusal('identities.exportBundle', { id, passphrase: 'a long enough passphrase', path: given })).toMatchObject({
        code: 'VALIDATION',
      });
    }
    expect(await exists(target)).toBe(false);
    const secret = path.join(dir, 'not-a-talosconfig');
    await writeFile(secret, 'context: x\n');
    // The old path-taking import channels are gone; the draft and import channels refuse a path field.
    for (const old of ['identities.importPath', 'identities.pickFile', 'identities.preview'])
      expect(await refusal(old, { path: secret, contexts: null })).toMatchObject({ code: 'UNKNOWN_CHANNEL' });
    expect(await refusal('identities.draft', { path: secret, source: 'x' })).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal('identities.import', { path: secret, contexts: null })).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal('identities.import', { draftId: secret, contexts: null })).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal('identities.openDiscovered', { source: secret })).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal('identities.openFile', { path: secret })).toMatchObject({ code: 'VALIDATION' });
  });

  it('has no request field that names a file on this computer (paths on a Talos node are absolute and go to the node)', () => {
    const found: string[] = [];
    const walk = (channel: string, schema: z.ZodType, at: string) => {
      const def = (
        schema as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType } }
      ).def;
      if (def.type === 'object')
        for (const [key, inner] of Object.entries(def.shape!)) {
          if (/path|file|dir|folder|target|dest/i.test(key)) found.push(`${channel} ${at}${key}`);
          walk(channel, inner, `${at}${key}.`);
        }
      if (def.innerType) walk(channel, def.innerType, at);
      if (def.element) walk(channel, def.element, at);
    };
    for (const channel of channelNames) walk(channel, channels[channel].request as z.ZodType, '');
    const allowed = new Set([
      'downloads.copy path',
      'evidence.save folder',
      'evidence.verify folder',
      'files.download path',
      'files.list path',
      'files.read path',
      'storage.usage paths',
    ]);
    expect(found.filter((f) => !allowed.has(f))).toEqual([]);
    expect(found.length).toBeGreaterThanOrEqual(4);
    // Each of those is a path on a node (absolute, checked by the schema) or the name of a pack in the data folder.
    for (const channel of ['files.read', 'files.list', 'files.download', 'downloads.copy'] as const)
      expect(channels[channel].request.safeParse({ identityId: 'x', node: 'n', path: 'relative', downloadId: 'd' }).success).toBe(false);
    expect(channels['storage.usage'].request.safeParse({ identityId: 'x', node: 'n', paths: ['relative'] }).success).toBe(false);
    for (const channel of ['evidence.save', 'evidence.verify'] as const)
      expect(channels[channel].request.safeParse({ folder: '../../etc' }).success).toBe(false);
  });
});

describe('importing through a draft the host holds', () => {
  it('previews with every key masked, imports the chosen contexts once, and forgets a cancelled draft', async () => {
    const { yaml, contexts } = await makeTalosconfig([{ name: 'one@lab' }, { name: 'two@lab', keyType: 'ed25519' }]);
    const draft = await call('identities.draft', { yaml, source: 'pasted text' });
    const shown = JSON.stringify(draft);
    for (const piece of keyPieces(contexts)) expect(shown).not.toContain(piece);
    expect(draft.masked).toMatch(/key: "-----BEGIN [A-Z0-9 ]*PRIVATE KEY----- key hidden \(\d+ bytes\)"/);
    expect(draft.preview!.contexts.map((c) => [c.name, c.problems])).toEqual([
      ['one@lab', []],
      ['two@lab', []],
    ]);
    const report = await call('identities.import', { draftId: draft.draftId, contexts: ['two@lab'] });
    expect(report.imported.map((i) => i.name)).toEqual(['two@lab']);
    expect(await refusal('identities.import', { draftId: draft.draftId, contexts: ['one@lab'] })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('choose or paste the talosconfig again'),
    });
    const other = await call('identities.draft', { yaml, source: 'pasted text' });
    expect(await call('identities.discardDraft', { draftId: other.draftId })).toEqual({ discarded: true });
    expect(await refusal('identities.import', { draftId: other.draftId, contexts: null })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('shows text that is not a talosconfig masked, with the reason, and imports nothing from it', async () => {
    const { contexts } = await makeTalosconfig([{ name: 'x' }]);
    const pem = Buffer.from(contexts.x!.key, 'base64').toString();
    const draft = await call('identities.draft', { yaml: `here is the key:\n${pem}\n[`, source: 'pasted text' });
    expect(draft.preview).toBeNull();
    expect(draft.problem).toMatch(/^The file is not YAML/);
    for (const piece of keyPieces(contexts)) expect(draft.masked).not.toContain(piece);
    expect(await refusal('identities.import', { draftId: draft.draftId, contexts: null })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads a discovered talosconfig by its source, never by a path the renderer sends', async () => {
    const { yaml } = await makeTalosconfig([{ name: 'home@lab' }]);
    await mkdir(path.join(dir, '.talos'), { recursive: true });
    await writeFile(path.join(dir, '.talos', 'config'), yaml, { mode: 0o600 });
    const draft = await call('identities.openDiscovered', { source: 'home' });
    expect(draft.source).toBe(path.join(dir, '.talos', 'config'));
    expect(draft.preview!.contexts.map((c) => c.name)).toEqual(['home@lab']);
    expect(await refusal('identities.openDiscovered', { source: 'TALOSCONFIG' })).toMatchObject({
      code: 'NOT_FOUND',
      message: '$TALOSCONFIG is not set in the environment Nodeglass was started from.',
    });
    // Browser mode has no file dialog of its own: the page reads the file and hands the text over as a draft.
    expect(await call('identities.openFile', {})).toEqual({ available: false, draft: null });
  });
});

describe('exporting a talosconfig', () => {
  it('in browser mode, hands it to the browser once through a one-time URL the host serves, and audits it', async () => {
    const id = (await call('identities.list', {})).find((i) => i.name === 'two@lab')!.id;
    const before = await readdir(dir);
    const exported = await call('identities.export', { id, acknowledgePlaintextKey: true });
    expect(exported).toMatchObject({ filename: 'talosconfig-two-lab', path: null, url: expect.stringMatching(/^\/handover\/[\w-]{32}$/) });
    expect(await readdir(dir)).toEqual(before);
    const host = await startBrowserHost({ staticDir: dir, dispatch, handovers: services.handovers, log: () => undefined });
    try {
      const fromElsewhere = await fetch(`${host.origin}${exported.url}`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
      expect(fromElsewhere.status).toBe(404);
      const first = await fetch(`${host.origin}${exported.url}`, { headers: { 'Sec-Fetch-Site': 'same-origin' } });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-disposition')).toBe('attachment; filename="talosconfig-two-lab"');
      expect(first.headers.get('cache-control')).toBe('no-store');
      const text = await first.text();
      expect(parseTalosconfig(text).contexts.map((c) => [c.name, c.problems])).toEqual([['two@lab', []]]);
      expect((await fetch(`${host.origin}${exported.url}`)).status).toBe(404);
    } finally {
      await host.close();
    }
    const trail = await services.audit.entries();
    expect(trail.at(-1)).toMatchObject({
      kind: 'outcome',
      method: 'nodeglass/ExportTalosconfig',
      outcomes: [{ ok: true, message: 'talosconfig with the key in clear as the browser download talosconfig-two-lab' }],
    });
  });

  it("on the desktop, opens the host's own dialogs: saves where the dialog says, never over a file, and reads the file it picked", async () => {
    const { yaml } = await makeTalosconfig([{ name: 'desk@lab' }]);
    const picked = path.join(dir, 'picked-talosconfig');
    await writeFile(picked, yaml);
    const answers: (string | null)[] = [];
    const desktop = createServices({
      host: 'desktop',
      version: 'test',
      dataDir: path.join(dir, 'desktop-data'),
      emit: () => undefined,
      env: {},
      home: dir,
      pickFile: async () => picked,
      saveFile: async () => answers.shift() ?? null,
    });
    const via = dispatcherOf(desktop);
    try {
      await call('vault.setup', { passphrase: PASS }, via);
      const opened = await call('identities.openFile', {}, via);
      expect(opened).toMatchObject({ available: true, draft: { source: 'picked-talosconfig', problem: null } });
      await call('identities.import', { draftId: opened.draft!.draftId, contexts: null }, via);
      const id = (await call('identities.list', {}, via))[0]!.id;

      const target = path.join(dir, 'saved-through-the-dialog');
      answers.push(target);
      expect(await call('identities.export', { id, acknowledgePlaintextKey: true }, via)).toEqual({
        filename: 'talosconfig-desk-lab',
        path: target,
        url: null,
      });
      expect((await stat(target)).mode & 0o777).toBe(0o600);
      expect(parseTalosconfig(await readFile(target, 'utf8')).contexts[0]!.problems).toEqual([]);
      answers.push(target);
      expect(await refusal('identities.export', { id, acknowledgePlaintextKey: true }, via)).toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: `${target} already exists; choose a new file name so nothing is overwritten.`,
      });
      expect(await refusal('identities.export', { id, acknowledgePlaintextKey: true }, via)).toMatchObject({ code: 'CANCELLED' });
    } finally {
      await desktop.dispose();
    }
  });
});
