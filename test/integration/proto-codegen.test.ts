import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

async function files(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(full, base)));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

describe('generated protobuf code', () => {
  it('is up to date with proto/talos (run `npm run proto:gen` after editing a .proto)', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-proto-'));
    try {
      const template = (await readFile('buf.gen.yaml', 'utf8')).replace('out: proto/gen', `out: ${path.join(tmp, 'gen')}`);
      await writeFile(path.join(tmp, 'buf.gen.yaml'), template);
      execFileSync(path.join('node_modules', '.bin', 'buf'), ['generate', 'proto', '--template', path.join(tmp, 'buf.gen.yaml')], {
        stdio: 'pipe',
      });
      const fresh = await files(path.join(tmp, 'gen'));
      expect(await files('proto/gen')).toEqual(fresh);
      for (const file of fresh) {
        expect(await readFile(path.join('proto/gen', file), 'utf8'), file).toBe(await readFile(path.join(tmp, 'gen', file), 'utf8'));
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
