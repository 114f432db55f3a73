import { zipSync, unzipSync, type Zippable } from 'fflate';

/**
 * A zip of a bundle's files under one top folder, every entry stamped with the same time so the archive
 * depends only on its content. Bundles are a few MiB at most, so this is built in memory.
 */
export function zipFolder(folder: string, files: ReadonlyMap<string, Uint8Array>, mtime: Date): Uint8Array {
  const tree: Zippable = {};
  for (const [path, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) tree[`${folder}/${path}`] = [data, { mtime }];
  return zipSync(tree, { level: 6 });
}

/** Reads a zip written by `zipFolder` back into its folder name and files. */
export function unzipFolder(zip: Uint8Array): { folder: string; files: Map<string, Uint8Array> } {
  const entries = unzipSync(zip);
  const files = new Map<string, Uint8Array>();
  let folder = '';
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const slash = name.indexOf('/');
    const top = slash < 0 ? '' : name.slice(0, slash);
    if (folder && top !== folder) throw new Error(`the zip holds more than one folder (${folder}, ${top})`);
    folder = top;
    files.set(name.slice(slash + 1), data);
  }
  return { folder, files };
}
