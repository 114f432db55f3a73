import { useState } from 'react';
import { CGROUP_PRESETS, type Cgroup } from '../../../shared/domain/cgroups';
import type { ContainerStat } from '../../../shared/domain/storage';
import type { CriImage } from '../../../shared/domain/compliance';
import { roleBlockReason } from '../../../shared/talos-rbac';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { DataTable, type Column } from '../components/DataTable';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { Size } from '../components/Values';
import { actionBlock } from '../lib/action-gate';
import { rowsOf, usePerNode } from '../lib/use-per-node';
import { useOperations } from '../operations/operation-store';
import { useActiveIdentity, useSession } from '../stores/session-store';

type Tab = 'cgroups' | 'stats' | 'images' | 'time';
type Preset = (typeof CGROUP_PRESETS)[number];

const num = (v: number | null) => (v === null ? '' : v);
const psi = (p: { some: { avg10: number } | null; full: { avg10: number } | null }) =>
  `${p.some ? p.some.avg10.toFixed(2) : '-'} / ${p.full ? p.full.avg10.toFixed(2) : '-'}`;

/** The columns `talosctl cgroups --preset …` prints. */
const PRESET_COLUMNS: Record<Preset, Column<Cgroup>[]> = {
  cpu: [
    { key: 'weight', label: 'Weight', value: (c) => num(c.cpu.weight), align: 'right' },
    { key: 'max', label: 'Max', value: (c) => c.cpu.max ?? '' },
    {
      key: 'usage',
      label: 'Usage (s)',
      value: (c) => (c.cpu.usageUsec === null ? '' : +(c.cpu.usageUsec / 1e6).toFixed(2)),
      align: 'right',
    },
    { key: 'throttled', label: 'Throttled', value: (c) => num(c.cpu.nrThrottled), align: 'right' },
  ],
  cpuset: [
    { key: 'cpus', label: 'CPUs', value: (c) => c.cpuset.cpus ?? '' },
    { key: 'eff', label: 'Effective CPUs', value: (c) => c.cpuset.cpusEffective ?? '' },
    { key: 'mems', label: 'Effective mems', value: (c) => c.cpuset.memsEffective ?? '' },
  ],
  io: [
    {
      key: 'read',
      label: 'Read',
      value: (c) => c.io.reduce((s, d) => s + d.readBytes, 0),
      render: (c) => <Size value={c.io.reduce((s, d) => s + d.readBytes, 0)} />,
      align: 'right',
    },
    {
      key: 'write',
      label: 'Written',
      value: (c) => c.io.reduce((s, d) => s + d.writeBytes, 0),
      render: (c) => <Size value={c.io.reduce((s, d) => s + d.writeBytes, 0)} />,
      align: 'right',
    },
    { key: 'devices', label: 'Devices', value: (c) => c.io.map((d) => d.device).join(', ') },
  ],
  memory: [
    {
      key: 'current',
      label: 'Current',
      value: (c) => num(c.memory.current),
      render: (c) => (c.memory.current === null ? '' : <Size value={c.memory.current} />),
      align: 'right',
    },
    {
      key: 'peak',
      label: 'Peak',
      value: (c) => num(c.memory.peak),
      render: (c) => (c.memory.peak === null ? '' : <Size value={c.memory.peak} />),
      align: 'right',
    },
    { key: 'max', label: 'Max', value: (c) => c.memory.max ?? '' },
    { key: 'oom', label: 'OOM kills', value: (c) => num(c.memory.oomKill), align: 'right' },
  ],
  process: [
    { key: 'current', label: 'Pids', value: (c) => num(c.process.current), align: 'right' },
    { key: 'max', label: 'Max', value: (c) => c.process.max ?? '' },
  ],
  psi: [
    { key: 'cpu', label: 'CPU some/full avg10', value: (c) => psi(c.psi.cpu) },
    { key: 'memory', label: 'Memory some/full avg10', value: (c) => psi(c.psi.memory) },
    { key: 'io', label: 'IO some/full avg10', value: (c) => psi(c.psi.io) },
  ],
  swap: [
    { key: 'current', label: 'Swap', value: (c) => num(c.swap.current), align: 'right' },
    { key: 'max', label: 'Max', value: (c) => c.swap.max ?? '' },
  ],
};

function Cgroups({ identity, node }: { identity: { id: string; name: string; roles: string[] }; node: string }) {
  const [preset, setPreset] = useState<Preset>('cpu');
  const [rows, setRows] = useState<Cgroup[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reason = roleBlockReason('/machine.MachineService/Copy', identity.roles);
  const load = async () => {
    setError(null);
    try {
      setRows(await call('system.cgroups', { identityId: identity.id, node }));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const columns: Column<Cgroup>[] = [
    {
      key: 'name',
      label: 'Cgroup',
      value: (c) => c.path,
      // Indented by depth as talosctl cgroups prints the tree (spaces alone would collapse in HTML).
      render: (c) => (
        <span className="mono" style={{ paddingLeft: `${c.depth * 1.5}ch` }}>
          {c.name || c.path}
        </span>
      ),
      wide: true,
    },
    ...PRESET_COLUMNS[preset],
  ];
  return (
    <>
      <TeachLine command={talosctl.cgroups({ context: identity.name, nodes: [node] }, preset)} method="/machine.MachineService/Copy" />
      <div className="toolbar">
        <select aria-label="cgroups preset" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
          {CGROUP_PRESETS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <button
          className="primary"
          disabled={reason !== null}
          title={reason ?? undefined}
          data-reason={reason ?? ''}
          onClick={() => void load()}
        >
          Read cgroups of {node}
        </button>
        <span className="muted">Talos has no cgroups call: talosctl copies /sys/fs/cgroup (os:admin) and reads it, as Nodeglass does.</span>
      </div>
      {error && <p className="error-text">{error}</p>}
      {rows && <DataTable label="cgroups" rows={rows} columns={columns} rowKey={(c) => c.path} noun={['cgroup', 'cgroups']} />}
    </>
  );
}

const statColumns: Column<ContainerStat & { node: string }>[] = [
  { key: 'node', label: 'Node', value: (s) => s.node },
  { key: 'ns', label: 'Namespace', value: (s) => s.namespace },
  { key: 'id', label: 'ID', value: (s) => s.name || s.id, wide: true },
  { key: 'mem', label: 'Memory', value: (s) => s.memoryBytes, render: (s) => <Size value={s.memoryBytes} />, align: 'right' },
  { key: 'cpu', label: 'CPU (s)', value: (s) => +(s.cpuNanoseconds / 1e9).toFixed(2), align: 'right' },
];

const imageColumns: Column<CriImage & { node: string }>[] = [
  { key: 'node', label: 'Node', value: (i) => i.node },
  { key: 'name', label: 'Image', value: (i) => i.name, wide: true },
  { key: 'digest', label: 'Digest', value: (i) => i.digest, render: (i) => <span className="mono">{i.digest.slice(0, 19)}…</span> },
  { key: 'size', label: 'Size', value: (i) => i.sizeBytes, render: (i) => <Size value={i.sizeBytes} />, align: 'right' },
];

/** `talosctl cgroups`, `stats [-k]`, `image list|pull` and `time --check`. */
export function RuntimeView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [tab, setTab] = useState<Tab>('stats');
  const [k8s, setK8s] = useState(true);
  const [store, setStore] = useState<'cri' | 'system' | 'inmem'>('cri');
  const [server, setServer] = useState('');
  const target = identity && nodes.length ? { identityId: identity.id, nodes } : null;
  const stats = usePerNode('system.stats', tab === 'stats' && target ? { ...target, k8s } : null, 5000);
  const images = usePerNode('images.list', tab === 'images' && target ? { ...target, store } : null);
  const time = usePerNode('time.check', tab === 'time' && target ? { ...target, server } : null);
  if (!identity) return null;
  const t = { context: identity.name, nodes };
  const pullBlock = actionBlock(identity, '/machine.ImageService/Pull');
  return (
    <div>
      <div role="tablist" aria-label="Runtime views" className="toolbar">
        {(['stats', 'cgroups', 'images', 'time'] as Tab[]).map((id) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)}>
            {id === 'stats' ? 'Container stats' : id[0]!.toUpperCase() + id.slice(1)}
          </button>
        ))}
      </div>
      {tab === 'stats' && (
        <>
          <TeachLine command={talosctl.stats(t, k8s)} method="/machine.MachineService/Stats" />
          <NodeErrors results={stats.results} />
          <DataTable
            label="Container stats"
            rows={rowsOf(stats.results)}
            columns={statColumns}
            rowKey={(s) => `${s.node}/${s.id}`}
            initialSort={{ key: 'mem', desc: true }}
            loading={stats.pending}
            noun={['container', 'containers']}
            tools={
              <label className="option">
                <input type="checkbox" checked={k8s} onChange={(e) => setK8s(e.target.checked)} /> Kubernetes (-k)
              </label>
            }
          />
        </>
      )}
      {tab === 'cgroups' && (nodes[0] ? <Cgroups identity={identity} node={nodes[0]} /> : <p className="muted">Select a node.</p>)}
      {tab === 'images' && (
        <>
          <TeachLine command={talosctl.imageList(t, store)} method="/machine.ImageService/List" />
          <NodeErrors results={images.results} />
          <DataTable
            label="Images"
            rows={rowsOf(images.results)}
            columns={imageColumns}
            rowKey={(i) => `${i.node}/${i.name}`}
            loading={images.pending}
            noun={['image', 'images']}
            tools={
              <>
                <select aria-label="Image store" value={store} onChange={(e) => setStore(e.target.value as typeof store)}>
                  <option value="cri">cri</option>
                  <option value="system">system</option>
                  <option value="inmem">inmem</option>
                </select>
                <button
                  disabled={pullBlock !== null}
                  title={pullBlock ?? 'Plan: pull an image on the selected nodes'}
                  data-reason={pullBlock ?? ''}
                  onClick={() =>
                    useOperations.getState().openPlan({ action: { kind: 'image-pull', image: 'registry.k8s.io/pause:3.10', store }, nodes })
                  }
                >
                  Pull…
                </button>
              </>
            }
          />
        </>
      )}
      {tab === 'time' && (
        <>
          <TeachLine command={talosctl.timeCheck(t, server || '(configured)')} method="/time.TimeService/TimeCheck" />
          <div className="toolbar">
            <label className="option">
              NTP server{' '}
              <input
                aria-label="NTP server"
                placeholder="the node's configured server"
                value={server}
                onChange={(e) => setServer(e.target.value.trim())}
              />
            </label>
          </div>
          <NodeErrors results={time.results} />
          <DataTable
            label="Time"
            rows={time.results.flatMap((r) => (r.ok ? [{ node: r.node, ...r.value }] : []))}
            columns={[
              { key: 'node', label: 'Node', value: (r) => r.node },
              { key: 'server', label: 'Server', value: (r) => r.server },
              { key: 'local', label: 'Node time', value: (r) => r.localtime ?? '' },
              { key: 'remote', label: 'Server time', value: (r) => r.remotetime ?? '' },
              {
                key: 'offset',
                label: 'Offset (ms)',
                value: (r) => (r.localtime && r.remotetime ? Date.parse(r.localtime) - Date.parse(r.remotetime) : ''),
                align: 'right',
              },
            ]}
            rowKey={(r) => r.node}
            loading={time.pending}
          />
        </>
      )}
    </div>
  );
}
