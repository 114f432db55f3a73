import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/host/dispatch';
import { MAX_FILE_BYTES } from '../../electron/services/handlers/files';
import { CHUNK_BYTES } from '../../electron/services/file-downloads';
import { createServices, type Services } from '../../electron/services';

// The lab's file over the read cap: 80,000 copies of one 66-byte line.
const BIG = '/var/log/kmsg-archive.log';
const expected = 'kern:    info: archived kernel record padding line for size tests\n'.repeat(80_000);
const admin = 'practice:admin@lab';

let dir: string;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const chunks: { downloadId: string; bytes: number; base64: string | null }[] = [];

function servicesFor(saveFile?: (name: string) => Promise<string | null>): Services {
  return createServices({
    host: saveFile ? 'desktop' : 'browser',
    version: 'test',
    dataDir: dir,
    env: {},
    home: dir,
    saveFile,
    emit: (name, payload) => {
      if (name === 'files.chunk') chunks.push(payload as (typeof chunks)[number]);
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-downloads-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('downloading a file over the read cap', () => {
  it('is larger than what Read shows, so the download is the only way to get it', async () => {
    expect(expected.length).toBeGreaterThan(MAX_FILE_BYTES);
  });

  it('browser mode: hands the file to the page in chunks that add up to the exact bytes', async () => {
    const services = servicesFor();
    try {
      const dispatch = createDispatcher(services);
      expect((await dispatch('lab.start', { nodes: 1 })).ok).toBe(true);
      const read = await dispatch('files.read', { identityId: admin, node: '10.5.0.2', path: BIG });
      expect(read).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });

      chunks.length = 0;
      const result = await dispatch('files.download', { identityId: admin, node: '10.5.0.2', path: BIG, downloadId: 'b1' });
      expect(result).toEqual({ ok: true, value: { savedTo: null, bytes: expected.length, cancelled: false, sha256: sha256(expected) } });
      // Progress-only events (no data) may come between the pieces.
      const mine = chunks.filter((c) => c.downloadId === 'b1' && c.base64 !== null);
      expect(mine.length).toBeGreaterThan(1);
      expect(mine.every((c) => c.base64 !== null && Buffer.from(c.base64, 'base64').length <= CHUNK_BYTES + 64 * 1024)).toBe(true);
      expect(mine.at(-1)!.bytes).toBe(expected.length);
      expect(Buffer.concat(mine.map((c) => Buffer.from(c.base64!, 'base64'))).toString()).toBe(expected);

      const reader = await dispatch('files.download', { identityId: 'practice:reader@lab', node: '10.5.0.2', path: BIG, downloadId: 'b2' });
      expect(reader).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('needs os:admin') } });
      const missing = await dispatch('files.download', { identityId: admin, node: '10.5.0.2', path: '/var/log/nope', downloadId: 'b3' });
      expect(missing).toMatchObject({ ok: false });
      expect(JSON.stringify(missing)).toContain('no such file');
    } finally {
      await services.dispose();
    }
  });

  it('desktop: streams to the chosen file through a .part file and reports progress without the data', async () => {
    const target = path.join(dir, 'saved', 'kmsg-archive.log');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(target), { recursive: true }));
    const suggested: string[] = [];
    const services = servicesFor(async (name) => {
      suggested.push(name);
      return target;
    });
    try {
      const dispatch = createDispatcher(services);
      expect((await dispatch('lab.start', { nodes: 1 })).ok).toBe(true);
      chunks.length = 0;
      const result = await dispatch('files.download', { identityId: admin, node: '10.5.0.2', path: BIG, downloadId: 'd1' });
      expect(result).toEqual({ ok: true, value: { savedTo: target, bytes: expected.length, cancelled: false, sha256: sha256(expected) } });
      expect(suggested).toEqual(['kmsg-archive.log']);
      expect(await readFile(target, 'utf8')).toBe(expected);
      expect(await readdir(path.dirname(target))).toEqual(['kmsg-archive.log']);
      const progress = chunks.filter((c) => c.downloadId === 'd1');
      expect(progress.length).toBeGreaterThan(1);
      expect(progress.every((c) => c.base64 === null)).toBe(true);
      expect(progress.at(-1)!.bytes).toBe(expected.length);
    } finally {
      await services.dispose();
    }
  });

  it('desktop: a failed read leaves no partial file, and a dismissed save dialog downloads nothing', async () => {
    const target = path.join(dir, 'failed', 'nope.log');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(target), { recursive: true }));
    let answer: string | null = target;
    const services = servicesFor(async () => answer);
    try {
      const dispatch = createDispatcher(services);
      expect((await dispatch('lab.start', { nodes: 1 })).ok).toBe(true);
      const failed = await dispatch('files.download', { identityId: admin, node: '10.5.0.2', path: '/var/log/nope', downloadId: 'f1' });
      expect(failed).toMatchObject({ ok: false });
      expect(await readdir(path.dirname(target))).toEqual([]);
      answer = null;
      const dismissed = await dispatch('files.download', { identityId: admin, node: '10.5.0.2', path: BIG, downloadId: 'f2' });
      expect(dismissed).toEqual({ ok: true, value: { savedTo: null, bytes: 0, cancelled: true, sha256: '' } });
    } finally {
      await services.dispose();
    }
  });

  it('stops when cancelled and says so', async () => {
    const services = servicesFor();
    try {
      const dispatch = createDispatcher(services);
      expect((await dispatch('lab.start', { nodes: 1 })).ok).toBe(true);
      chunks.length = 0;
      const running = dispatch('files.download', { identityId: admin, node: '10.5.0.2', path: BIG, downloadId: 'c1' });
      await expect.poll(() => chunks.some((c) => c.downloadId === 'c1')).toBe(true);
      expect(await dispatch('files.cancelDownload', { downloadId: 'c1' })).toEqual({ ok: true, value: {} });
      const result = (await running) as { ok: true; value: { cancelled: boolean; bytes: number } };
      expect(result.ok).toBe(true);
      expect(result.value.cancelled).toBe(true);
      expect(result.value.bytes).toBeLessThan(expected.length);
    } finally {
      await services.dispose();
    }
  });
});
