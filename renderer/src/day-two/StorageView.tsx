import { useState } from 'react';
import type { Disk, DiskUsageEntry } from '../../../shared/domain/storage';
import type { ResourceRow } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { DataTable, type Column } from '../components/DataTable';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { Size } from '../components/Values';
import { rowsOf, usePerNode } from '../lib/use-per-node';
import { useActiveIdentity, useSession } from '../stores/session-store';

type Tab = 'disks' | 'volumes' | 'usage';

const diskColumns: Column<Disk & { node: string }>[] = [
  { key: 'node', label: 'Node', value: (d) => d.node },
  { key: 'dev', label: 'Device', value: (d) => d.devPath, render: (d) => <span className="mono">{d.devPath}</span> },
  { key: 'size', label: 'Size', value: (d) => d.sizeBytes, render: (d) => <Size value={d.sizeBytes} />, align: 'right' },
  { key: 'model', label: 'Model', value: (d) => d.model },
  { key: 'serial', label: 'Serial', value: (d) => d.serial },
  { key: 'transport', label: 'Transport', value: (d) => d.transport },
  { key: 'rotational', label: 'Rotational', value: (d) => (d.rotational ? 'yes' : 'no') },
  { key: 'ro', label: 'Read-only', value: (d) => (d.readonly ? 'yes' : d.cdrom ? 'cdrom' : 'no') },
];

function Usage({ identityId, node, context }: { identityId: string; node: string; context: string }) {
  const [path, setPath] = useState('/var');
  const [depth, setDepth] = useState(1);
  const [all, setAll] = useState(false);
  const [rows, setRows] = useState<DiskUsageEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setRows(await call('storage.usage', { identityId, node, paths: [path], depth, all, threshold: 0 }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const columns: Column<DiskUsageEntry>[] = [
    { key: 'size', label: 'Size', value: (r) => r.sizeBytes, render: (r) => <Size value={r.sizeBytes} />, align: 'right' },
    { key: 'name', label: 'Path', value: (r) => r.name, render: (r) => <span className="mono">{r.name}</span>, wide: true },
    { key: 'error', label: 'Error', value: (r) => r.error ?? '' },
  ];
  return (
    <>
      <TeachLine
        command={talosctl.usage({ context, nodes: [node] }, [path], { depth, all, threshold: 0 })}
        method="/machine.MachineService/DiskUsage"
      />
      <div className="toolbar">
        <label className="option">
          Path <input aria-label="Usage path" value={path} onChange={(e) => setPath(e.target.value)} />
        </label>
        <label className="option">
          Depth{' '}
          <input aria-label="Depth" type="number" min={0} max={20} value={depth} onChange={(e) => setDepth(Number(e.target.value) || 0)} />
        </label>
        <label className="option">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> files too (-a)
        </label>
        <button className="primary" disabled={busy || !path.startsWith('/')} onClick={() => void run()}>
          {busy ? 'Measuring…' : `Measure on ${node}`}
        </button>
      </div>
      <p className="muted">Apparent sizes, each directory after its contents (as talosctl usage prints them).</p>
      {error && <p className="error-text">{error}</p>}
      {rows && (
        <DataTable
          label="Disk usage"
          rows={rows}
          columns={columns}
          rowKey={(r) => r.name}
          initialSort={{ key: 'size', desc: true }}
          noun={['entry', 'entries']}
        />
      )}
    </>
  );
}

/** Disks and volumes (COSI, `talosctl get disks|volumestatus`) and `talosctl usage`. */
export function StorageView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [tab, setTab] = useState<Tab>('disks');
  const target = identity && nodes.length ? { identityId: identity.id, nodes } : null;
  const disks = usePerNode('storage.disks', tab === 'disks' ? target : null);
  const volumes = usePerNode(
    'resources.list',
    tab === 'volumes' && target ? { ...target, type: 'VolumeStatuses.block.talos.dev', namespace: 'runtime' } : null,
  );
  if (!identity) return null;
  const t = { context: identity.name, nodes };
  const volumeRows = rowsOf(volumes.results);
  const volumeKeys = [...new Set(volumeRows.flatMap((r) => Object.keys(r.columns)))];
  return (
    <div>
      <div role="tablist" aria-label="Storage views" className="toolbar">
        {(['disks', 'volumes', 'usage'] as Tab[]).map((id) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)}>
            {id[0]!.toUpperCase() + id.slice(1)}
          </button>
        ))}
      </div>
      {tab === 'disks' && (
        <>
          <TeachLine command={talosctl.disks(t)} method="/cosi.resource.State/List" />
          <NodeErrors results={disks.results} />
          <DataTable
            label="Disks"
            rows={disks.results.flatMap((r) => (r.ok ? r.value.disks.map((d) => ({ ...d, node: r.node })) : []))}
            columns={diskColumns}
            rowKey={(d) => `${d.node}/${d.id}`}
            loading={disks.pending}
            noun={['disk', 'disks']}
          />
        </>
      )}
      {tab === 'volumes' && (
        <>
          <TeachLine command={talosctl.volumes(t)} method="/cosi.resource.State/List" />
          <NodeErrors results={volumes.results} />
          <DataTable
            label="Volumes"
            rows={volumeRows}
            columns={[
              { key: 'node', label: 'Node', value: (r: ResourceRow & { node: string }) => r.node },
              { key: 'id', label: 'ID', value: (r: ResourceRow) => r.id },
              ...volumeKeys.map((k) => ({ key: k, label: k, value: (r: ResourceRow) => r.columns[k] ?? '' })),
            ]}
            rowKey={(r) => `${r.node}/${r.id}`}
            loading={volumes.pending}
            noun={['volume', 'volumes']}
          />
        </>
      )}
      {tab === 'usage' &&
        (nodes[0] ? <Usage identityId={identity.id} node={nodes[0]} context={identity.name} /> : <p className="muted">Select a node.</p>)}
    </div>
  );
}
