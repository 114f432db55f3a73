/** A read-only virtual file tree with Go `os.FileMode` bits, like what `talosctl ls` shows. */
export const MODE_DIR = 0x80000000;
export const MODE_SYMLINK = 0x08000000;

export interface VirtualFile {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  modified: number;
  link?: string;
  content?: () => string;
}

export class FileTree {
  private readonly files = new Map<string, VirtualFile>();

  constructor(private readonly now: () => number) {
    this.dir('/');
  }

  dir(path: string, perm = 0o755, modified = this.now()): void {
    this.add({ path, mode: MODE_DIR | perm, uid: 0, gid: 0, modified });
  }

  file(path: string, content: () => string, perm = 0o644, modified = this.now()): void {
    this.add({ path, mode: perm, uid: 0, gid: 0, modified, content });
  }

  symlink(path: string, target: string): void {
    this.add({ path, mode: MODE_SYMLINK | 0o777, uid: 0, gid: 0, modified: this.now(), link: target });
  }

  private add(entry: VirtualFile): void {
    const parent = parentOf(entry.path);
    if (parent && !this.files.has(parent)) this.dir(parent);
    this.files.set(entry.path, entry);
  }

  get(path: string): VirtualFile | undefined {
    return this.files.get(normalize(path));
  }

  children(path: string): VirtualFile[] {
    const dir = normalize(path);
    return [...this.files.values()].filter((f) => f.path !== '/' && parentOf(f.path) === dir).sort((a, b) => a.path.localeCompare(b.path));
  }

  sizeOf(file: VirtualFile): number {
    if (file.mode & MODE_DIR) return 4096;
    if (file.link) return file.link.length;
    return Buffer.byteLength(file.content?.() ?? '');
  }
}

export function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function parentOf(path: string): string | null {
  if (path === '/') return null;
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}
