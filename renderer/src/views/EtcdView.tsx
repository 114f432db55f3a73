import type { TalosEtcd } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { CallFailures } from '../components/CallFailures';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { DataTable, type Column } from '../components/DataTable';
import { LoadingState } from '../components/States';
import { Size } from '../components/Values';
import { usePerNode } from '../lib/use-per-node';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { EtcdMaintenance, removeMemberPlan } from '../day-two/EtcdMaintenance';
import { actionBlock } from '../lib/action-gate';
import { useOperations } from '../operations/operation-store';

type Member = NonNullable<TalosEtcd['members']>[number];

const memberColumns: Column<Member>[] = [
  { key: 'id', label: 'ID', value: (m) => m.id, render: (m) => <span className="mono">{m.id}</span> },
  { key: 'hostname', label: 'Hostname', value: (m) => m.hostname },
  { key: 'peer', label: 'Peer URLs', value: (m) => m.peerUrls.join(', '), wide: true },
  { key: 'client', label: 'Client URLs', value: (m) => m.clientUrls.join(', '), wide: true },
  { key: 'learner', label: 'Learner', value: (m) => (m.isLearner ? 'yes' : 'no') },
  { key: 'remove', label: 'Actions', value: () => '', render: (m) => <RemoveMemberButton member={m} /> },
];

/** remove-member is for a member whose node is gone: it is sent through another control plane. */
function RemoveMemberButton({ member }: { member: Member }) {
  const identity = useActiveIdentity();
  const allNodes = useSession((s) => s.nodes);
  if (!identity) return null;
  const via = allNodes.find((n) => n.machineType !== 'worker' && n.hostname !== member.hostname)?.address;
  const reason =
    actionBlock(identity, '/machine.MachineService/EtcdRemoveMemberByID') ?? (via ? null : 'no other control plane to send it through');
  return (
    <button
      className="link"
      disabled={reason !== null}
      title={reason ?? `Plan: talosctl etcd remove-member ${member.id} (through ${via})`}
      onClick={() => via && useOperations.getState().openPlan(removeMemberPlan(member.id, via))}
    >
      Remove…
    </button>
  );
}

/** etcd on control planes: members, status (DB size, in use, leader, raft) and alarms. */
export function EtcdView() {
  const identity = useActiveIdentity();
  const allNodes = useSession((s) => s.nodes);
  const selected = useSession((s) => s.selected);
  const controlPlanes = selected.filter((n) => allNodes.find((x) => x.address === n)?.machineType !== 'worker');
  const { results, pending } = usePerNode(
    'talos.etcd',
    identity && controlPlanes.length ? { identityId: identity.id, nodes: controlPlanes } : null,
    5000,
  );
  if (!identity) return null;
  const t = { context: identity.name, nodes: controlPlanes };
  const ok = results.flatMap((r) => (r.ok ? [{ node: r.node, ...r.value }] : []));
  const members = ok.find((r) => r.members !== null)?.members ?? null;
  const alarmReports = ok.filter((r) => r.alarms !== null);
  const alarms = alarmReports.flatMap((r) => (r.alarms ?? []).map((a) => ({ node: r.node, ...a })));
  return (
    <div>
      {controlPlanes.length === 0 && <p className="muted">etcd runs on control-plane nodes; select one.</p>}
      <TeachLine command={talosctl.etcdStatus(t)} method="/machine.MachineService/EtcdStatus" />
      <NodeErrors results={results} />
      {ok.map((r) => (
        <CallFailures key={r.node} node={r.node} failures={r.failures} />
      ))}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="etcd status (scrolls sideways)">
        <table className="grid" aria-label="etcd status">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Member</th>
              <th scope="col" className="num">
                DB size
              </th>
              <th scope="col" className="num">
                In use
              </th>
              <th scope="col">Leader</th>
              <th scope="col" className="num">
                Raft index
              </th>
              <th scope="col" className="num">
                Raft term
              </th>
              <th scope="col" className="num">
                Raft applied
              </th>
              <th scope="col">Learner</th>
              <th scope="col">Protocol</th>
              <th scope="col">Storage</th>
              <th scope="col">Errors</th>
            </tr>
          </thead>
          <tbody>
            {ok.map(({ node, status }) =>
              status ? (
                <tr key={node}>
                  <td>{node}</td>
                  <td className="mono">{status.memberId}</td>
                  <td className="num">
                    <Size value={status.dbSize} />
                  </td>
                  <td className="num">
                    <Size value={status.dbSizeInUse} /> ({((status.dbSizeInUse / Math.max(1, status.dbSize)) * 100).toFixed(2)}%)
                  </td>
                  <td className="mono">{status.leader}</td>
                  <td className="num">{status.raftIndex}</td>
                  <td className="num">{status.raftTerm}</td>
                  <td className="num">{status.raftAppliedIndex}</td>
                  <td>{String(status.isLearner)}</td>
                  <td>{status.protocolVersion}</td>
                  <td>{status.storageVersion}</td>
                  <td className={status.errors.length ? 'error-text' : ''}>{status.errors.join('; ')}</td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      </div>
      {pending && <LoadingState what="etcd status" />}
      {results.length > 0 && !ok.some((r) => r.status) && <p className="warn-text">Status unknown: no node answered EtcdStatus.</p>}
      <h3>Members</h3>
      <TeachLine command={talosctl.etcdMembers(t)} method="/machine.MachineService/EtcdMemberList" />
      <DataTable
        label="etcd members"
        rows={members ?? []}
        columns={memberColumns}
        rowKey={(m) => m.id}
        noun={['member', 'members']}
        loading={pending}
        empty={
          controlPlanes.length === 0
            ? 'No control plane selected.'
            : members === null
              ? 'Members unknown: no node answered EtcdMemberList.'
              : 'No members listed.'
        }
        filterPlaceholder="Filter members (/)"
      />
      <h3>Alarms</h3>
      <TeachLine command={talosctl.etcdAlarms(t)} method="/machine.MachineService/EtcdAlarmList" />
      <div aria-label="etcd alarms">
        {results.length === 0 ? null : alarmReports.length === 0 ? (
          <p className="warn-text">Alarms unknown: no node answered EtcdAlarmList.</p>
        ) : alarms.length === 0 ? (
          <p className="ok-text">
            No alarms
            {alarmReports.length < results.length
              ? ` (reported by ${alarmReports.length} of ${results.length} nodes; the others did not answer)`
              : ''}
            .
          </p>
        ) : (
          alarms.map((a) => (
            <p key={`${a.node}/${a.memberId}/${a.alarm}`} className="error-text">{`${a.node}: member ${a.memberId}: ${a.alarm}`}</p>
          ))
        )}
      </div>
      {/* What etcd says comes first; the maintenance that changes it follows. */}
      <EtcdMaintenance controlPlanes={controlPlanes} statuses={ok} />
    </div>
  );
}
