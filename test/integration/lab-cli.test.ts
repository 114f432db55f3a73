import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTalosconfig } from '../../certs/talosconfig-import';

describe('npm run lab', () => {
  it('starts on a free port, prints the endpoint and nodes, writes a talosconfig and stops on Ctrl+C, deleting it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-lab-cli-'));
    const file = path.join(dir, 'talosconfig');
    const child = spawn(process.execPath, [
      'node_modules/tsx/dist/cli.mjs',
      'lab/cli.ts',
      '--port',
      '0',
      '--nodes',
      '2',
      '--cluster',
      'trainee',
      '--talosconfig',
      file,
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toContain('Press Ctrl+C to stop.');
      expect(out).toMatch(/endpoint: {4}127\.0\.0\.1:\d+/);
      expect(out).toContain('10.5.0.2     trainee-controlplane-1 (controlplane)');
      expect(out).toContain('10.5.0.3     trainee-worker-1 (worker)');
      const parsed = parseTalosconfig(await readFile(file, 'utf8'));
      expect(parsed.contexts.map((c) => c.name)).toEqual(['admin@trainee', 'operator@trainee', 'reader@trainee']);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      // The admin key in it belongs to a cluster that no longer exists: it does not stay on disk.
      await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad flag value with a clear message', async () => {
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'lab/cli.ts', '--nodes', 'many']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--nodes must be a whole number from 1 to 250 (got "many")');
  });

  it('stages practice scenarios from --scenario (repeatable) and names where to look', async () => {
    const child = spawn(process.execPath, [
      'node_modules/tsx/dist/cli.mjs',
      'lab/cli.ts',
      '--port',
      '0',
      '--scenario',
      'crashloop',
      '--scenario',
      'drift@lab-worker-2',
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toContain('Press Ctrl+C to stop.');
      expect(out).toContain('scenario:    crashloop on lab-worker-1 (10.5.0.3): kubelet exits with code 1 every 15 s');
      expect(out).toContain('scenario:    drift on lab-worker-2 (10.5.0.4)');
      expect(out).toContain('look at: service kubelet · events · logs kubelet');
    } finally {
      // SIGINT, which tsx passes on: a SIGKILL would end tsx and leave the lab it started running.
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      child.kill('SIGKILL');
    }
  });

  it('arms rolling-operation faults from --fault NODE:KIND[=SERVICE] and refuses a bad one', async () => {
    const child = spawn(process.execPath, [
      'node_modules/tsx/dist/cli.mjs',
      'lab/cli.ts',
      '--port',
      '0',
      '--fault',
      'lab-worker-1:never-returns',
      '--fault',
      '10.5.0.4:service-unhealthy=containerd',
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toContain('Press Ctrl+C to stop.');
      expect(out).toContain('fault:       lab-worker-1 never-returns (strikes at its next boot)');
      expect(out).toContain('fault:       lab-worker-2 service-unhealthy=containerd (strikes at its next boot)');
    } finally {
      // SIGINT, which tsx passes on: a SIGKILL would end tsx and leave the lab it started running.
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      child.kill('SIGKILL');
    }
    const bad = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'lab/cli.ts', '--port', '0', '--fault', 'lab-worker-1:meteor']);
    let err = '';
    bad.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise<number | null>((resolve) => bad.on('exit', resolve))).toBe(2);
    expect(err).toContain(
      '--fault lab-worker-1:meteor: expected NODE:KIND[=SERVICE] with KIND one of never-returns, service-unhealthy, etcd-no-leader',
    );
  });

  it('refuses an unknown scenario and one that cannot apply, with the reason', async () => {
    const run = async (...args: string[]) => {
      const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'lab/cli.ts', '--port', '0', ...args]);
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      return { code, err };
    };
    expect(await run('--scenario', 'meltdown')).toEqual({ code: 2, err: expect.stringContaining('KIND one of crashloop, etcd-nospace') });
    expect(await run('--nodes', '2', '--scenario', 'drift')).toEqual({
      code: 2,
      err: expect.stringContaining('drift needs two nodes of one role'),
    });
  });
});
