import { useEffect, useMemo, useRef, useState } from 'react';
import type { KernelRecord } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { useNodeStream } from '../lib/use-node-stream';
import { FilterBox } from '../components/FilterBox';
import { EmptyState, LoadingState } from '../components/States';
import { TeachLine } from '../components/TeachLine';
import { plural } from '../lib/format';
import { useActiveIdentity, useSession } from '../stores/session-store';

const MAX = 20_000;
const PRIORITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

/** `talosctl dmesg -f`: kernel records from the selected nodes with facility and priority filters. */
export function KernelView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [records, setRecords] = useState<(KernelRecord & { node: string; seq: number })[]>([]);
  const [follow, setFollow] = useState(true);
  const [facility, setFacility] = useState('');
  const [maxPriority, setMaxPriority] = useState('debug');
  const [text, setText] = useState('');
  const [opened, setOpened] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    setRecords([]);
    setOpened(false);
  }, [identity, nodes]);
  useNodeStream(identity && nodes.length && follow ? { identityId: identity.id, nodes, kind: 'dmesg', tail: -1 } : null, {
    'stream.state': () => setOpened(true),
    'stream.kernel': (batch) =>
      setRecords((current) => [...current, ...batch.records.map((r) => ({ ...r, node: batch.key, seq: seq.current++ }))].slice(-MAX)),
  });

  const facilities = useMemo(() => [...new Set(records.map((r) => r.facility).filter(Boolean))].sort(), [records]);
  const visible = useMemo(() => {
    const limit = PRIORITIES.indexOf(maxPriority);
    const q = text.toLowerCase();
    return records.filter(
      (r) =>
        (!facility || r.facility === facility) &&
        (PRIORITIES.indexOf(r.priority) <= limit || !PRIORITIES.includes(r.priority)) &&
        (!q || r.message.toLowerCase().includes(q)),
    );
  }, [records, facility, maxPriority, text]);

  if (!identity) return null;
  return (
    <div>
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label>
          Facility{' '}
          <select value={facility} onChange={(e) => setFacility(e.target.value)}>
            <option value="">All facilities</option>
            {facilities.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
        <label>
          Lowest priority{' '}
          <select value={maxPriority} onChange={(e) => setMaxPriority(e.target.value)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p} and above
              </option>
            ))}
          </select>
        </label>
        <FilterBox label="Filter kernel log" value={text} onChange={setText} />
        <span className="muted">
          {visible.length === records.length
            ? plural(records.length, 'record')
            : `${visible.length} of ${plural(records.length, 'record')}`}
        </span>
      </div>
      <TeachLine command={talosctl.dmesg({ context: identity.name, nodes }, follow)} method="/machine.MachineService/Dmesg" />
      <table className="grid" aria-label="Kernel log">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Facility</th>
            <th scope="col">Priority</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {visible.slice(-2000).map((r) => (
            <tr key={`${r.node}/${r.seq}`}>
              <td>{r.node}</td>
              <td className="mono">{r.time?.replace('T', ' ').replace(/(\.\d{6})\d*Z$/, '$1') ?? ''}</td>
              <td>{r.facility}</td>
              <td
                className={
                  ['emerg', 'alert', 'crit', 'err'].includes(r.priority) ? 'error-text' : r.priority === 'warning' ? 'warn-text' : ''
                }
              >
                {r.priority}
              </td>
              <td className="mono log-line">{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {records.length === 0 &&
        (follow && !opened ? <LoadingState what="the kernel log" /> : <EmptyState>No kernel records from the selected nodes.</EmptyState>)}
      {records.length > 0 && visible.length === 0 && <EmptyState>No record matches these filters.</EmptyState>}
    </div>
  );
}
