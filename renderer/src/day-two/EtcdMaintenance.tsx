import type { OperationAction } from '../../../shared/domain/operation';
import type { TalosEtcd } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { TeachLine } from '../components/TeachLine';
import { actionBlock } from '../lib/action-gate';
import { fileStamp } from '../lib/download-via';
import { useOperations } from '../operations/operation-store';
import { useActiveIdentity } from '../stores/session-store';
import { DownloadButton } from './DownloadButton';

type Status = NonNullable<TalosEtcd['status']>;

const METHOD: Record<string, string> = {
  'etcd-defrag': '/machine.MachineService/EtcdDefragment',
  'etcd-alarm-disarm': '/machine.MachineService/EtcdAlarmDisarm',
  'etcd-forfeit-leadership': '/machine.MachineService/EtcdForfeitLeadership',
  'etcd-leave': '/machine.MachineService/EtcdLeaveCluster',
  'etcd-remove-member': '/machine.MachineService/EtcdRemoveMemberByID',
  bootstrap: '/machine.MachineService/Bootstrap',
};

/**
 * etcd maintenance: a snapshot saved with its SHA-256 checked, and every change (defrag one member at a time,
 * alarm disarm, forfeit leadership, leave, bootstrap) as a plan with the quorum guard and the audit trail.
 */
export function EtcdMaintenance({
  controlPlanes,
  statuses,
}: {
  controlPlanes: string[];
  statuses: { node: string; status: Status | null }[];
}) {
  const identity = useActiveIdentity();
  const openPlan = useOperations((s) => s.openPlan);
  if (!identity || controlPlanes.length === 0) return null;
  const first = controlPlanes[0]!;
  const leaderNode = statuses.find((s) => s.status && s.status.leader === s.status.memberId)?.node ?? first;
  const t = { context: identity.name, nodes: [first] };
  const plan = (label: string, action: OperationAction, nodes: string[], hint: string) => {
    const reason = actionBlock(identity, METHOD[action.kind]!);
    return (
      <button
        key={action.kind}
        className={action.kind === 'etcd-leave' || action.kind === 'bootstrap' ? 'danger' : undefined}
        disabled={reason !== null}
        data-reason={reason ?? ''}
        title={reason ?? hint}
        onClick={() => openPlan({ action, nodes })}
      >
        {label}
      </button>
    );
  };
  const snapshotBlock = actionBlock({ ...identity, readOnly: false, locked: identity.locked }, '/machine.MachineService/EtcdSnapshot');
  return (
    <section className="card" aria-label="etcd maintenance">
      <div className="toolbar">
        <strong>Maintenance</strong>
        <DownloadButton
          channel="downloads.etcdSnapshot"
          label={`Snapshot from ${first}`}
          request={{ identityId: identity.id, node: first }}
          filename={`etcd-${first}-${fileStamp()}.snapshot`}
          disabledReason={snapshotBlock}
          facts={(r) => [`etcd's own SHA-256 trailer verified: ${String(r.dbSha256)}`]}
        />
        {plan('Defragment…', { kind: 'etcd-defrag' }, controlPlanes, 'Plan: defragment each selected member, one at a time')}
        {plan('Disarm alarms…', { kind: 'etcd-alarm-disarm' }, [first], 'Plan: clear every etcd alarm (NOSPACE, CORRUPT)')}
        {plan('Forfeit leadership…', { kind: 'etcd-forfeit-leadership' }, [leaderNode], 'Plan: move leadership away from the leader')}
        {plan('Leave…', { kind: 'etcd-leave' }, [first], 'Plan: this member leaves etcd (quorum guard first)')}
        {plan('Bootstrap…', { kind: 'bootstrap' }, [first], 'Plan: bootstrap etcd on a fresh cluster')}
      </div>
      <TeachLine command={talosctl.etcdSnapshot(t, 'db.snapshot')} method="/machine.MachineService/EtcdSnapshot" />
      <p className="muted">
        The snapshot is kept only when its size is whole 512-byte pages plus etcd&apos;s 32-byte SHA-256 and that hash matches (as talosctl
        checks); restore it with <code>talosctl bootstrap --recover-from</code>. os:etcd:backup may take it.
      </p>
    </section>
  );
}

/** Opens the remove-member plan for a member whose node is gone, sent through another control plane. */
export function removeMemberPlan(memberId: string, via: string): { action: OperationAction; nodes: string[] } {
  return { action: { kind: 'etcd-remove-member', memberId }, nodes: [via] };
}
