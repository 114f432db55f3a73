import { useEffect, useState } from 'react';
import { roleBlockReason } from '../../../shared/talos-rbac';
import { talosctl } from '../../../shared/talosctl';
import { getApi } from '../api';
import { TeachLine } from '../components/TeachLine';
import { identityBlock } from '../lib/action-gate';
import { fileStamp } from '../lib/download-via';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { DownloadButton } from './DownloadButton';

/** Per-node progress of a running support bundle. */
function useSupportProgress() {
  const [progress, setProgress] = useState<Record<string, { files: number; current: string; done: boolean }>>({});
  useEffect(
    () =>
      getApi().on('downloads.supportProgress', (p) =>
        setProgress((s) => ({ ...s, [p.node]: { files: p.files, current: p.current, done: p.done } })),
      ),
    [],
  );
  return [progress, () => setProgress({})] as const;
}

/**
 * Cluster-wide tools: `talosctl support` (one zip, scanned for secrets) for the selected nodes, and `talosctl
 * kubeconfig` (an admin credential: the cluster name is typed and the download audited).
 */
export function ClusterTools() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const all = useSession((s) => s.nodes);
  const [progress] = useSupportProgress();
  const [cluster, setCluster] = useState('');
  if (!identity) return null;
  const cp = nodes.find((n) => all.find((x) => x.address === n)?.machineType === 'controlplane') ?? nodes[0];
  const t = { context: identity.name, nodes };
  const kubeBlock = identityBlock(identity) ?? roleBlockReason('/machine.MachineService/Kubeconfig', identity.roles);
  return (
    <section className="card" aria-label="Cluster tools">
      <div className="toolbar">
        <strong>Support bundle</strong>
        <DownloadButton
          channel="downloads.support"
          label={`Support bundle of ${nodes.length} node${nodes.length === 1 ? '' : 's'}`}
          request={nodes.length ? { identityId: identity.id, nodes } : null}
          filename={`support-${fileStamp()}.zip`}
          disabledReason={nodes.length ? null : 'select the nodes to include'}
          facts={(r) => {
            const m = r.manifest as { files: number; redactedTypes: string[]; nodes: { node: string; errors: string[] }[] };
            return [
              `${m.files} files; sensitive types written as <REDACTED>: ${m.redactedTypes.length}`,
              ...m.nodes
                .filter((n) => n.errors.length)
                .map((n) => `${n.node}: ${n.errors.length} part(s) not collected (see manifest.json)`),
            ];
          }}
        />
      </div>
      <TeachLine command={talosctl.support(t, 'support.zip')} method="(many calls per node)" />
      <p className="muted">
        Kernel log, every service&apos;s log and state, kube-system container logs, processes, mounts, I/O, controller dependencies,
        versions and every resource type, per node, with a manifest. Each file is scanned for keys and tokens and scrubbed before it is
        written; an identity without os:admin gets what its role may read and the manifest lists the rest.
      </p>
      {Object.keys(progress).length > 0 && (
        <ul className="plain" aria-label="Support bundle progress">
          {Object.entries(progress).map(([node, p]) => (
            <li key={node}>
              {node}: {p.files} files{p.done ? ', done' : p.current ? `, reading ${p.current}` : ''}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        <strong>Admin kubeconfig</strong>
        <label className="option">
          Type the cluster name{' '}
          <input aria-label="Cluster name for the kubeconfig" value={cluster} onChange={(e) => setCluster(e.target.value)} size={14} />
        </label>
        {cp && (
          <DownloadButton
            channel="downloads.kubeconfig"
            label={`Kubeconfig from ${cp}`}
            request={{ identityId: identity.id, node: cp, clusterName: cluster }}
            filename="kubeconfig"
            disabledReason={kubeBlock ?? (cluster.trim() ? null : 'type the cluster name first')}
          />
        )}
      </div>
      {cp && (
        <TeachLine
          command={talosctl.kubeconfig({ context: identity.name, nodes: [cp] }, 'kubeconfig')}
          method="/machine.MachineService/Kubeconfig"
        />
      )}
    </section>
  );
}
