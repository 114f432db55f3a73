import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['shared', 'certs', 'proto', 'lab', 'electron', 'renderer/src'];
/** Value imports only: `import type` is erased and cannot make a cycle at run time. */
const IMPORT = /^import\s+(?!type\s)[^'"]*?from\s+'(\.[^']+)'|^export\s+(?!type\s)[^'"]*?from\s+'(\.[^']+)'/gm;

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(entry.name === 'gen' ? [] : await sources(full)));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

function resolve(from: string, spec: string, known: Set<string>): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (known.has(candidate)) return candidate;
  return null;
}

describe('source layout', () => {
  it('has no circular value imports', async () => {
    const files = (await Promise.all(FOLDERS.map((f) => sources(path.join(ROOT, f))))).flat();
    const known = new Set(files);
    const edges = new Map<string, string[]>();
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const targets = [...text.matchAll(IMPORT)].map((m) => resolve(file, (m[1] ?? m[2])!, known)).filter((t) => t !== null);
      edges.set(file, targets);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(ROOT, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of edges.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
