import { AppError } from '../../../shared/errors';
import type { HandlersFor } from '../../../shared/handlers';
import { compileBpf } from '../../../shared/bpf';
import { talosctl } from '../../../shared/talosctl';
import { packetCapture } from '../../talos/calls/capture';
import { clusterName } from '../operations/targets';
import { collectSupportBundle } from '../day-two/support-bundle';
import type { HandlerDeps } from './deps';
import { allOk } from './outcomes';

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

/** Reads for the day-two screens, fanned out per node. */
export function dayTwoReadHandlers({ sessions }: HandlerDeps): HandlersFor<'network' | 'storage' | 'system' | 'images' | 'time'> {
  const { perNode } = sessions;
  return {
    'network.netstat': ({ identityId, nodes, filter, pods }) =>
      perNode(identityId, nodes, (c, n) => c.network.netstat(n, { filter, allNamespaces: pods })),
    'storage.disks': ({ identityId, nodes }) =>
      perNode(identityId, nodes, async (c, n) => {
        const [disks, volumes] = await Promise.all([c.storage.disks(n), c.storage.discoveredVolumes(n)]);
        return { disks, volumes };
      }),
    'storage.usage': async ({ identityId, node, paths, depth, all, threshold }) =>
      (await sessions.client(identityId)).files.diskUsage(node, { paths, depth, all, threshold }),
    'system.cgroups': async ({ identityId, node }) => (await sessions.client(identityId)).cgroups.list(node),
    'system.stats': ({ identityId, nodes, k8s }) => perNode(identityId, nodes, (c, n) => c.stats.containers(n, k8s ? 'k8s.io' : 'system')),
    'images.list': ({ identityId, nodes, store }) => perNode(identityId, nodes, (c, n) => c.images.list(n, store)),
    'time.check': ({ identityId, nodes, server }) => perNode(identityId, nodes, (c, n) => c.timeCheck(n, server)),
  };
}

/** Everything that streams to a file: through FileDownloads (desktop: .part then rename; browser mode: chunks to the page). */
export function downloadHandlers({ sessions, identities, downloads, emit }: HandlerDeps): HandlersFor<'downloads'> {
  return {
    'downloads.etcdSnapshot': async ({ identityId, node, downloadId }) => {
      const { result, extra } = await downloads.run(
        {
          identityId,
          downloadId,
          suggestedName: `etcd-${node}-${stamp()}.snapshot`,
          roles: { allowed: ['os:admin', 'os:operator', 'os:etcd:backup'], what: 'An etcd snapshot' },
        },
        (client, onChunk, signal) => client.etcdOps.snapshotChunks(node, onChunk, signal),
      );
      return { ...result, dbSha256: extra?.dbSha256 ?? '' };
    },
    'downloads.capture': async ({ identityId, node, downloadId, filter, durationSeconds, ...o }) => {
      const compiled = compileBpf(filter, o.snapLen);
      if (!compiled.ok) throw new AppError('INVALID_ARGUMENT', `The capture filter: ${compiled.error}`);
      const { result, extra } = await downloads.run(
        {
          identityId,
          downloadId,
          suggestedName: `${node}-${o.interface}-${stamp()}.pcap`,
          roles: { allowed: ['os:admin', 'os:operator'], what: 'Packet capture' },
        },
        (client, onChunk, signal, count) =>
          packetCapture(
            client.connection,
            node,
            { ...o, filter: compiled.program, durationMs: durationSeconds * 1000 },
            (bytes, packets) => {
              count(packets);
              onChunk(bytes);
            },
            signal,
          ),
      );
      return { ...result, packets: extra?.packets ?? 0 };
    },
    'downloads.copy': async ({ identityId, node, path, downloadId }) => {
      const base = path === '/' ? 'root' : path.slice(path.lastIndexOf('/') + 1);
      const { result } = await downloads.run(
        { identityId, downloadId, suggestedName: `${node}-${base}.tar.gz`, roles: { allowed: ['os:admin'], what: 'Copying files' } },
        (client, onChunk, signal) => client.files.copyStream(node, path, onChunk, signal),
      );
      return result;
    },
    'downloads.kubeconfig': {
      intent: async ({ identityId, node }) => {
        const meta = await identities.store.meta(identityId);
        return {
          identityId,
          nodes: [node],
          method: '/machine.MachineService/Kubeconfig',
          args: { download: 'admin kubeconfig' },
          talosctl: talosctl.kubeconfig({ context: meta.name, nodes: [node] }, 'kubeconfig'),
        };
      },
      run: async ({ identityId, node, downloadId, clusterName: typed }) => {
        const client = await sessions.client(identityId);
        const meta = await identities.store.meta(identityId);
        const cluster = (await clusterName(client, [node])) ?? meta.name;
        if (typed.trim() !== cluster)
          throw new AppError('INVALID_ARGUMENT', `Type the cluster name "${cluster}" to download its admin kubeconfig.`);
        const { result } = await downloads.run(
          {
            identityId,
            downloadId,
            suggestedName: `kubeconfig-${cluster}`,
            roles: { allowed: ['os:admin'], what: 'The admin kubeconfig' },
          },
          async (c, onChunk) => onChunk(Buffer.from(await c.files.kubeconfig(node))),
        );
        return {
          ...result,
          auditNote: result.cancelled ? 'cancelled; nothing saved' : `saved ${result.bytes} bytes (sha256 ${result.sha256.slice(0, 16)}…)`,
        };
      },
      outcomes: allOk,
    },
    'downloads.support': async ({ identityId, nodes, downloadId }) => {
      const meta = await identities.store.meta(identityId);
      const client = await sessions.client(identityId);
      const cluster = (await clusterName(client, nodes)) ?? null;
      const { result, extra } = await downloads.run(
        {
          identityId,
          downloadId,
          suggestedName: cluster ? `support-${cluster}.zip` : 'support.zip',
          roles: { allowed: ['os:admin', 'os:operator', 'os:reader'], what: 'A support bundle' },
        },
        (c, onChunk, signal) =>
          collectSupportBundle(c, nodes, { context: meta.name, roles: meta.roles, cluster }, onChunk, signal, (p) =>
            emit('downloads.supportProgress', { downloadId, ...p }),
          ),
      );
      return { ...result, manifest: extra ?? { nodes: [], files: 0, redactedTypes: [] } };
    },
  };
}
