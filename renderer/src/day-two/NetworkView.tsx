import { useState } from 'react';
import type { Socket } from '../../../shared/domain/network';
import type { ResourceRow } from '../../../shared/domain/inspect';
import { compileBpf, formatDd } from '../../../shared/bpf';
import { roleBlockReason } from '../../../shared/talos-rbac';
import { talosctl } from '../../../shared/talosctl';
import { DataTable, type Column } from '../components/DataTable';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { fileStamp } from '../lib/download-via';
import { rowsOf, usePerNode } from '../lib/use-per-node';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { DownloadButton } from './DownloadButton';

type Tab = 'sockets' | 'addresses' | 'links' | 'routes' | 'capture';
type Row = Socket & { node: string };

const endpoint = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

const socketColumns: Column<Row>[] = [
  { key: 'node', label: 'Node', value: (r) => r.node },
  { key: 'proto', label: 'Proto', value: (r) => r.proto },
  {
    key: 'local',
    label: 'Local',
    value: (r) => endpoint(r.localIp, r.localPort),
    render: (r) => <span className="mono">{endpoint(r.localIp, r.localPort)}</span>,
  },
  {
    key: 'remote',
    label: 'Remote',
    value: (r) => endpoint(r.remoteIp, r.remotePort),
    render: (r) => <span className="mono">{endpoint(r.remoteIp, r.remotePort)}</span>,
  },
  { key: 'state', label: 'State', value: (r) => r.state },
  { key: 'process', label: 'Process', value: (r) => (r.pid !== null ? `${r.pid}/${r.process ?? ''}` : '') },
  { key: 'netns', label: 'Netns', value: (r) => r.netns || 'host' },
  { key: 'queues', label: 'Tx/Rx queue', value: (r) => `${r.txQueue}/${r.rxQueue}`, align: 'right' },
];

const RESOURCES = {
  addresses: { type: 'AddressStatuses.net.talos.dev', line: talosctl.addresses },
  links: { type: 'LinkStatuses.net.talos.dev', line: talosctl.links },
  routes: { type: 'RouteStatuses.net.talos.dev', line: talosctl.routes },
} as const;

function ResourceTable({
  tab,
  target,
  t,
}: {
  tab: keyof typeof RESOURCES;
  target: { identityId: string; nodes: string[] } | null;
  t: { context: string; nodes: string[] };
}) {
  const spec = RESOURCES[tab];
  const list = usePerNode('resources.list', target ? { ...target, type: spec.type, namespace: 'network' } : null);
  const rows = rowsOf(list.results);
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.columns)))];
  const columns: Column<ResourceRow & { node: string }>[] = [
    { key: 'node', label: 'Node', value: (r) => r.node },
    { key: 'id', label: 'ID', value: (r) => r.id, render: (r) => <span className="mono">{r.id}</span> },
    ...keys.map((k) => ({ key: k, label: k, value: (r: ResourceRow) => r.columns[k] ?? '' })),
  ];
  return (
    <>
      <TeachLine command={spec.line(t)} method="/cosi.resource.State/List" />
      <NodeErrors results={list.results} />
      <DataTable
        label={tab}
        rows={rows}
        columns={columns}
        rowKey={(r) => `${r.node}/${r.id}`}
        loading={list.pending}
        noun={[tab.slice(0, -1), tab]}
      />
    </>
  );
}

function Capture({ identity, node }: { identity: { id: string; name: string; roles: string[] }; node: string }) {
  const [iface, setIface] = useState('eth0');
  const [filter, setFilter] = useState('');
  const [seconds, setSeconds] = useState(10);
  const [promiscuous, setPromiscuous] = useState(false);
  const compiled = compileBpf(filter);
  const filename = `${node}-${iface}-${fileStamp()}.pcap`;
  const reason = roleBlockReason('/machine.MachineService/PacketCapture', identity.roles) ?? (compiled.ok ? null : compiled.error);
  return (
    <section className="card" aria-label="Packet capture">
      <TeachLine
        command={talosctl.pcap({ context: identity.name, nodes: [node] }, { iface, filter, seconds, promiscuous, output: filename })}
        method="/machine.MachineService/PacketCapture"
      />
      <div className="toolbar">
        <label className="option">
          Interface <input aria-label="Interface" value={iface} onChange={(e) => setIface(e.target.value.trim())} size={10} />
        </label>
        <label className="option">
          Duration{' '}
          <input
            aria-label="Duration in seconds"
            type="number"
            min={1}
            max={3600}
            value={seconds}
            onChange={(e) => setSeconds(Math.max(1, Number(e.target.value) || 1))}
          />{' '}
          s
        </label>
        <label className="option">
          <input type="checkbox" checked={promiscuous} onChange={(e) => setPromiscuous(e.target.checked)} /> Promiscuous
        </label>
      </div>
      <label className="option block">
        Filter{' '}
        <textarea
          aria-label="Capture filter"
          className="wide-input mono"
          rows={filter.includes('{') ? 6 : 1}
          placeholder="tcp port 50000 and host 10.5.0.1 — or paste tcpdump -dd output"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </label>
      <p className="muted">
        Talos takes a compiled classic BPF program, not an expression. Nodeglass compiles the common expressions here for Ethernet and IPv4:{' '}
        <code>tcp</code>, <code>udp</code>, <code>icmp</code>, <code>arp</code>, <code>ip</code>, <code>ip6</code>,{' '}
        <code>[tcp|udp] port N</code>, <code>[src|dst] host A.B.C.D</code>, joined by <code>and</code>, each optionally with{' '}
        <code>not</code>. For anything else paste the output of <code>tcpdump -dd -y EN10MB &apos;expression&apos;</code>.
      </p>
      <p className={compiled.ok ? 'muted' : 'error-text'} data-testid="bpf-status">
        {compiled.ok
          ? compiled.source === 'none'
            ? 'No filter: every packet on the interface is captured.'
            : `${compiled.source === 'expression' ? 'Compiled' : 'Read'} ${compiled.program.length} BPF instructions.`
          : compiled.error}
      </p>
      {compiled.ok && compiled.program.length > 0 && (
        <details>
          <summary>The program sent (tcpdump -dd form)</summary>
          <pre className="mono">{formatDd(compiled.program)}</pre>
        </details>
      )}
      <DownloadButton
        channel="downloads.capture"
        label={`Capture on ${node}`}
        className="primary"
        request={{ identityId: identity.id, node, interface: iface, filter, promiscuous, snapLen: 4096, durationSeconds: seconds }}
        filename={filename}
        disabledReason={reason}
        facts={(r) => [`${Number(r.packets).toLocaleString('en-US')} packets (nanosecond pcap; Wireshark opens it)`]}
      />
    </section>
  );
}

/** `talosctl netstat`, the network resources (`get addresses|links|routes`) and `talosctl pcap`. */
export function NetworkView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [tab, setTab] = useState<Tab>('sockets');
  const [filter, setFilter] = useState<'all' | 'listening' | 'connected'>('listening');
  const [pods, setPods] = useState(false);
  const target = identity && nodes.length ? { identityId: identity.id, nodes } : null;
  const netstat = usePerNode('network.netstat', tab === 'sockets' && target ? { ...target, filter, pods } : null, 5000);
  if (!identity) return null;
  const t = { context: identity.name, nodes };
  return (
    <div>
      <div role="tablist" aria-label="Network views" className="toolbar">
        {(['sockets', 'addresses', 'links', 'routes', 'capture'] as Tab[]).map((id) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)}>
            {id === 'capture' ? 'Packet capture' : id[0]!.toUpperCase() + id.slice(1)}
          </button>
        ))}
      </div>
      {tab === 'sockets' && (
        <>
          <TeachLine command={talosctl.netstat(t, { filter, pods })} method="/machine.MachineService/Netstat" />
          <NodeErrors results={netstat.results} />
          <DataTable
            label="Sockets"
            rows={rowsOf(netstat.results)}
            columns={socketColumns}
            rowKey={(r) => `${r.node}/${r.proto}/${r.localIp}:${r.localPort}/${r.remoteIp}:${r.remotePort}/${r.netns}/${r.inode}`}
            loading={netstat.pending}
            noun={['socket', 'sockets']}
            filterPlaceholder="Filter sockets: port, process, state (/)"
            tools={
              <>
                <select aria-label="Which sockets" value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
                  <option value="listening">listening (-l)</option>
                  <option value="connected">connected</option>
                  <option value="all">all (-a)</option>
                </select>
                <label className="option">
                  <input type="checkbox" checked={pods} onChange={(e) => setPods(e.target.checked)} /> pod namespaces (-k)
                </label>
              </>
            }
          />
        </>
      )}
      {(tab === 'addresses' || tab === 'links' || tab === 'routes') && <ResourceTable key={tab} tab={tab} target={target} t={t} />}
      {tab === 'capture' &&
        (nodes[0] ? <Capture identity={identity} node={nodes[0]} /> : <p className="muted">Select a node to capture on.</p>)}
    </div>
  );
}
