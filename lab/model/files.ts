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
  content?: () => string | Buffer;
  /** The size without building the content (large generated files). */
  size?: () => number;
}

export class FileTree {
  private readonly files = new Map<string, VirtualFile>();
  private readonly byParent = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {
    this.dir('/');
  }

  dir(path: string, perm = 0o755, modified = this.now()): void {
    this.add({ path, mode: MODE_DIR | perm, uid: 0, gid: 0, modified });
  }

  file(path: string, content: () => string | Buffer, perm = 0o644, modified = this.now(), size?: () => number): void {
    this.add({ path, mode: perm, uid: 0, gid: 0, modified, content, ...(size ? { size } : {}) });
  }

  symlink(path: string, target: string): void {
    this.add({ path, mode: MODE_SYMLINK | 0o777, uid: 0, gid: 0, modified: this.now(), link: target });
  }

  private add(entry: VirtualFile): void {
    const parent = parentOf(entry.path);
    if (parent && !this.files.has(parent)) this.dir(parent);
    this.files.set(entry.path, entry);
    if (parent) {
      let siblings = this.byParent.get(parent);
      if (!siblings) this.byParent.set(parent, (siblings = new Set()));
      siblings.add(entry.path);
    }
  }

  /** Removes a file or a directory with everything below it. */
  remove(path: string): void {
    const target = normalize(path);
    for (const child of this.children(target)) this.remove(child.path);
    this.files.delete(target);
    this.byParent.delete(target);
    const parent = parentOf(target);
    if (parent) this.byParent.get(parent)?.delete(target);
  }

  get(path: string): VirtualFile | undefined {
    return this.files.get(normalize(path));
  }

  children(path: string): VirtualFile[] {
    const names = this.byParent.get(normalize(path)) ?? [];
    return [...names].map((name) => this.files.get(name)!).sort((a, b) => a.path.localeCompare(b.path));
  }

  /** The size `stat` reports: procfs and cgroupfs files say 0 whatever they hold. */
  sizeOf(file: VirtualFile): number {
    if (file.mode & MODE_DIR) return 4096;
    if (file.link) return file.link.length;
    if (isPseudo(file.path)) return 0;
    return this.contentSize(file);
  }

  /** The bytes a reader gets (what Copy archives even for a pseudo file). */
  contentSize(file: VirtualFile): number {
    return file.size?.() ?? Buffer.byteLength(file.content?.() ?? '');
  }
}

/** Files of procfs and cgroupfs: their size is only known by reading them. */
export const isPseudo = (path: string) => path.startsWith('/proc/') || path.startsWith('/sys/fs/cgroup/');

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
