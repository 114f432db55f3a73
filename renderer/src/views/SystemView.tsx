import { useState } from 'react';
import type { TalosContainer, TalosMemory, TalosMount, TalosProcess } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { DataTable, type Column } from '../components/DataTable';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { Size } from '../components/Values';
import { cpuTime } from '../lib/format';
import { rowsOf, usePerNode } from '../lib/use-per-node';
import { useActiveIdentity, useSession } from '../stores/session-store';

type Tab = 'processes' | 'memory' | 'mounts' | 'containers';
type Node<T> = T & { node: string };

const processColumns: Column<Node<TalosProcess>>[] = [
  { key: 'node', label: 'Node', value: (r) => r.node },
  { key: 'pid', label: 'PID', value: (r) => r.pid, align: 'right' },
  { key: 'state', label: 'State', value: (r) => r.state },
  { key: 'threads', label: 'Threads', value: (r) => r.threads, align: 'right' },
  { key: 'cpu', label: 'CPU time', value: (r) => r.cpuTime, render: (r) => cpuTime(r.cpuTime), align: 'right' },
  { key: 'virt', label: 'Virtual memory', value: (r) => r.virtualMemory, render: (r) => <Size value={r.virtualMemory} />, align: 'right' },
  {
    key: 'rss',
    label: 'Resident memory',
    value: (r) => r.residentMemory,
    render: (r) => <Size value={r.residentMemory} />,
    align: 'right',
  },
  {
    key: 'command',
    label: 'Command',
    value: (r) => `${r.command} ${r.args}`,
    render: (r) => <span className="mono">{r.args || r.command}</span>,
    wide: true,
  },
];

const memoryColumns: Column<{ node: string } & TalosMemory>[] = [
  { key: 'node', label: 'Node', value: (r) => r.node },
  { key: 'total', label: 'Total (MiB)', value: (r) => r.totalMb, align: 'right' },
  { key: 'used', label: 'Used (MiB)', value: (r) => r.usedMb, align: 'right' },
  { key: 'free', label: 'Free (MiB)', value: (r) => r.freeMb, align: 'right' },
  { key: 'shared', label: 'Shared (MiB)', value: (r) => r.sharedMb, align: 'right' },
  { key: 'buffers', label: 'Buffers (MiB)', value: (r) => r.buffersMb, align: 'right' },
  { key: 'cache', label: 'Cache (MiB)', value: (r) => r.cacheMb, align: 'right' },
  { key: 'available', label: 'Available (MiB)', value: (r) => r.availableMb, align: 'right' },
];

const mountColumns: Column<Node<TalosMount>>[] = [
  { key: 'node', label: 'Node', value: (r) => r.node },
  { key: 'fs', label: 'Filesystem', value: (r) => r.filesystem },
  { key: 'size', label: 'Size', value: (r) => r.sizeBytes, render: (r) => <Size value={r.sizeBytes} />, align: 'right' },
  {
    key: 'used',
    label: 'Used',
    value: (r) => r.sizeBytes - r.availableBytes,
    render: (r) => <Size value={r.sizeBytes - r.availableBytes} />,
    align: 'right',
  },
  {
    key: 'pct',
    label: 'Use (%)',
    value: (r) => (r.sizeBytes ? (1 - r.availableBytes / r.sizeBytes) * 100 : 0),
    render: (r) => (r.sizeBytes ? Math.round((1 - r.availableBytes / r.sizeBytes) * 100) : 0),
    align: 'right',
  },
  { key: 'on', label: 'Mounted on', value: (r) => r.mountedOn },
];

const containerColumns: Column<Node<TalosContainer>>[] = [
  { key: 'node', label: 'Node', value: (r) => r.node },
  { key: 'ns', label: 'Namespace', value: (r) => r.namespace },
  { key: 'id', label: 'ID', value: (r) => r.id, render: (r) => <span className="mono">{r.displayId}</span> },
  { key: 'image', label: 'Image', value: (r) => r.image },
  { key: 'pid', label: 'PID', value: (r) => r.pid, align: 'right' },
  { key: 'status', label: 'Status', value: (r) => r.status },
];

export function SystemView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [tab, setTab] = useState<Tab>('processes');
  const [namespace, setNamespace] = useState<'system' | 'k8s.io'>('system');
  const target = identity && nodes.length ? { identityId: identity.id, nodes } : null;
  const processes = usePerNode('talos.processes', tab === 'processes' ? target : null, 5000);
  const memory = usePerNode('talos.memory', tab === 'memory' ? target : null, 5000);
  const mounts = usePerNode('talos.mounts', tab === 'mounts' ? target : null);
  const containers = usePerNode('talos.containers', tab === 'containers' && target ? { ...target, namespace } : null);
  if (!identity) return null;
  const t = { context: identity.name, nodes };

  return (
    <div>
      <div role="tablist" aria-label="System views" className="toolbar">
        {(['processes', 'memory', 'mounts', 'containers'] as Tab[]).map((id) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)}>
            {id[0]!.toUpperCase() + id.slice(1)}
          </button>
        ))}
      </div>
      {tab === 'processes' && (
        <>
          <TeachLine command={talosctl.processes(t)} method="/machine.MachineService/Processes" />
          <NodeErrors results={processes.results} />
          <DataTable
            label="Processes"
            rows={rowsOf(processes.results)}
            columns={processColumns}
            rowKey={(r) => `${r.node}/${r.pid}`}
            initialSort={{ key: 'cpu', desc: true }}
            loading={processes.pending}
          />
        </>
      )}
      {tab === 'memory' && (
        <>
          <TeachLine command={talosctl.memory(t)} method="/machine.MachineService/Memory" />
          <NodeErrors results={memory.results} />
          <DataTable
            label="Memory"
            rows={memory.results.flatMap((r) => (r.ok ? [{ ...r.value, node: r.node }] : []))}
            columns={memoryColumns}
            rowKey={(r) => r.node}
            loading={memory.pending}
          />
        </>
      )}
      {tab === 'mounts' && (
        <>
          <TeachLine command={talosctl.mounts(t)} method="/machine.MachineService/Mounts" />
          <NodeErrors results={mounts.results} />
          <DataTable
            label="Mounts"
            rows={rowsOf(mounts.results)}
            columns={mountColumns}
            rowKey={(r) => `${r.node}/${r.mountedOn}`}
            loading={mounts.pending}
          />
        </>
      )}
      {tab === 'containers' && (
        <>
          <div className="toolbar">
            <select
              aria-label="Containerd namespace"
              value={namespace}
              onChange={(e) => setNamespace(e.target.value as 'system' | 'k8s.io')}
            >
              <option value="system">system (Talos services)</option>
              <option value="k8s.io">k8s.io (pods)</option>
            </select>
          </div>
          <TeachLine command={talosctl.containers(t, namespace === 'k8s.io')} method="/machine.MachineService/Containers" />
          <NodeErrors results={containers.results} />
          <DataTable
            label="Containers"
            rows={rowsOf(containers.results)}
            columns={containerColumns}
            rowKey={(r) => `${r.node}/${r.id}`}
            loading={containers.pending}
            empty={`No containers in the ${namespace} namespace.`}
          />
        </>
      )}
    </div>
  );
}
