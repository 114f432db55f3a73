import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabService } from '../../electron/services/lab-service';

const dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-lab-service-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the practice cluster in the app', () => {
  it('writes its talosconfig while it runs and deletes it when it stops', async () => {
    const lab = new LabService({ setPractice: () => undefined }, dir, () => undefined);
    const { talosconfigPath } = await lab.start({ nodes: 1 });
    expect(talosconfigPath).toBe(path.join(dir, 'practice-talosconfig'));
    expect(await readFile(talosconfigPath!, 'utf8')).toContain('key:');
    expect(await lab.stop()).toMatchObject({ running: false, talosconfigPath: null });
    await expect(stat(talosconfigPath!)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
