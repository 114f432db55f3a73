import * as grpc from '@grpc/grpc-js';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { createCa, issueClientCert, type Minted } from '../../certs/pki';
import type { CopyRequest, DiskUsageInfo, DiskUsageRequest, MachineServiceServer } from '../../proto/gen/machine/machine';
import { MODE_DIR, MODE_SYMLINK, normalize, type VirtualFile } from '../model/files';
import type { LabNode } from '../model/node';
import { tar, type TarEntry } from '../model/tar';
import { GrpcError, requireControlPlane, type Router } from './call-context';
import { chunked, type ApidHooks } from './handler-kit';
import { data, machineKit } from './machine-kit';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The cluster's Kubernetes CA (ECDSA, as Talos makes it) and an admin certificate, minted once per lab. */
const kubernetesPki = new WeakMap<object, Promise<{ ca: Minted; admin: Minted }>>();

function pkiFor(router: Router) {
  const key = router.all();
  let pki = kubernetesPki.get(key);
  if (!pki) {
    pki = createCa({ keyType: 'ecdsa', organization: 'kubernetes' }).then(async (ca) => ({
      ca,
      admin: await issueClientCert(ca, ['system:masters'], { keyType: 'ecdsa' }, 'ecdsa'),
    }));
    kubernetesPki.set(key, pki);
  }
  return pki;
}

/** The admin kubeconfig Talos generates: context `admin@<cluster>`, the control plane endpoint, embedded certs. */
async function kubeconfig(node: LabNode, router: Router): Promise<string> {
  const { ca, admin } = await pkiFor(router);
  const cluster = node.id.cluster;
  return stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: cluster, cluster: { server: `https://${node.id.endpointIp}:6443`, 'certificate-authority-data': b64(ca.certPem) } },
      ],
      users: [{ name: `admin@${cluster}`, user: { 'client-certificate-data': b64(admin.certPem), 'client-key-data': b64(admin.keyPem) } }],
      contexts: [{ context: { cluster, namespace: 'default', user: `admin@${cluster}` }, name: `admin@${cluster}` }],
      'current-context': `admin@${cluster}`,
    },
    { indent: 4 },
  );
}

function tarEntry(node: LabNode, file: VirtualFile, name: string): TarEntry {
  const base = { name, mode: file.mode & 0o7777, uid: file.uid, gid: file.gid, modified: file.modified };
  if (file.mode & MODE_DIR) return { ...base, name: `${name}/`, type: 'dir' };
  if (file.mode & MODE_SYMLINK) return { ...base, type: 'symlink', linkname: file.link ?? '' };
  const content = file.content?.() ?? '';
  return { ...base, type: 'file', content: typeof content === 'string' ? Buffer.from(content) : content };
}

/**
 * Talos' DiskUsage: apparent sizes, a directory after its contents, only directories unless `all` (a path asked
 * for is always reported),
 * entries at depth >= recursion_depth dropped (root is depth 0), threshold > 0 drops smaller, < 0 larger.
 */
function diskUsage(node: LabNode, req: DiskUsageRequest, root: string, send: (info: DiskUsageInfo) => void): void {
  const start = node.files.get(root);
  const info = (name: string, size: number, relativeName: string, error = '') => ({
    metadata: undefined,
    name,
    size: String(size),
    error,
    relativeName,
  });
  if (!start) {
    send(info(root, 0, root, `lstat ${root}: no such file or directory`));
    return;
  }
  const keep = (size: number, depth: number, isDir: boolean) =>
    (isDir || req.all || depth === 0) &&
    (req.recursionDepth <= 0 || depth < req.recursionDepth) &&
    (Number(req.threshold) === 0 || (Number(req.threshold) > 0 ? size >= Number(req.threshold) : size <= -Number(req.threshold)));
  const walk = (file: VirtualFile, depth: number, relative: string): number => {
    const isDir = (file.mode & MODE_DIR) !== 0;
    let size = node.files.sizeOf(file);
    if (isDir) {
      for (const child of node.files.children(file.path)) {
        const name = child.path.slice(child.path.lastIndexOf('/') + 1);
        size += walk(child, depth + 1, relative === '.' ? name : `${relative}/${name}`);
      }
    }
    if (keep(size, depth, isDir)) send(info(file.path, size, relative));
    return size;
  };
  walk(start, 0, '.');
}

/** Copy, DiskUsage and Kubeconfig. */
export function fileHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  const kit = machineKit(router, hooks);
  return {
    diskUsage: kit.stream<DiskUsageRequest, DiskUsageInfo>('DiskUsage', async (node, req, _ctx, send) => {
      for (const path of req.paths.length ? req.paths : ['/']) diskUsage(node, req, normalize(path), send);
    }),
    copy: kit.stream<CopyRequest, { metadata: undefined; bytes: Buffer }>('Copy', async (node, req, _ctx, send) => {
      if (!req.rootPath.startsWith('/')) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `path is not absolute ${req.rootPath}`);
      const root = normalize(req.rootPath);
      const start = node.files.get(root);
      if (!start) throw new GrpcError(grpc.status.NOT_FOUND, `lstat ${root}: no such file or directory`);
      const entries: TarEntry[] = [];
      if (start.mode & MODE_DIR) {
        const walk = (dir: string, prefix: string) => {
          for (const child of node.files.children(dir)) {
            const name = `${prefix}${child.path.slice(child.path.lastIndexOf('/') + 1)}`;
            entries.push(tarEntry(node, child, name));
            if (child.mode & MODE_DIR) walk(child.path, `${name}/`);
          }
        };
        walk(root, '');
      } else {
        entries.push(tarEntry(node, start, root.slice(root.lastIndexOf('/') + 1)));
      }
      chunked(gzipSync(tar(entries)), (b) => send(data(b)));
    }),
    kubeconfig: kit.stream('Kubeconfig', async (node, _req, _ctx, send) => {
      requireControlPlane(node, 'kubeconfig');
      const file = Buffer.from(await kubeconfig(node, router));
      // One message: a gzip'd tar holding `kubeconfig`, without the end-of-archive blocks (Talos leaves it open).
      send(
        data(
          gzipSync(tar([{ name: 'kubeconfig', type: 'file', mode: 0o600, uid: 0, gid: 0, modified: node.now(), content: file }], false)),
        ),
      );
    }),
  };
}
