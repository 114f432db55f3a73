import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { timings } from '../../lab/server/lifecycle';
import type { TalosClient } from '../../electron/talos/client';
import type { MachineStatusEvidence } from '../../shared/domain/health-evidence';
import { labClient } from '../helpers/lab-identity';

let lab: Lab;
let reader: TalosClient;
let operator: TalosClient;
const CPS = ['10.5.0.2', '10.5.0.3', '10.5.0.4'];
const WORKERS = ['10.5.0.5', '10.5.0.6'];
const ALL = [...CPS, ...WORKERS];

beforeAll(async () => {
  timings.stepMs = 40;
  lab = await startLab({ nodes: 5, controlPlanes: 3, seed: 21 });
  reader = labClient(lab, 'reader');
  operator = labClient(lab, 'operator');
});
afterAll(async () => {
  reader.close();
  operator.close();
  await lab.stop();
});

describe('health evidence on a healthy practice cluster', () => {
  it('every node is running and ready with no unmet condition, time synced, no diagnostics', async () => {
    for (const node of ALL) {
      expect(await reader.evidence.machineStatus(node)).toEqual({ stage: 'running', ready: true, unmetConditions: [] });
      expect(await reader.evidence.timeStatus(node)).toEqual({ synced: true, epoch: 1, syncDisabled: false });
      expect(await reader.evidence.diagnostics(node)).toEqual([]);
    }
  });

  it('control planes report kube-apiserver, controller-manager and scheduler Ready; workers have no static pods', async () => {
    const pods = await reader.evidence.staticPodStatuses(CPS[1]!);
    expect(pods.map((p) => [p.id, p.component, p.phase, p.ready])).toEqual([
      ['kube-system/kube-apiserver-lab-controlplane-2', 'kube-apiserver', 'Running', true],
      ['kube-system/kube-controller-manager-lab-controlplane-2', 'kube-controller-manager', 'Running', true],
      ['kube-system/kube-scheduler-lab-controlplane-2', 'kube-scheduler', 'Running', true],
    ]);
    expect(pods[0]!.podIP).toBe(CPS[1]);
    expect(pods[0]!.conditions.map((c) => c.type)).toContain('ContainersReady');
    expect(await reader.evidence.staticPodStatuses(WORKERS[0]!)).toEqual([]);
    const raw = await reader.getResource(
      CPS[0]!,
      'k8s',
      'StaticPodStatuses.kubernetes.talos.dev',
      'kube-system/kube-apiserver-lab-controlplane-1',
    );
    expect(raw.spec).toMatchObject({
      phase: 'Running',
      hostIP: CPS[0],
      containerStatuses: [{ name: 'kube-apiserver', ready: true }],
      qosClass: 'Burstable',
    });
  });

  it('Members (namespace cluster) list every node with its machine type and OS version, the same on every node', async () => {
    const lists = await Promise.all(ALL.map((n) => reader.evidence.clusterMembers(n)));
    for (const list of lists) expect(list).toEqual(lists[0]);
    const members = lists[0]!;
    expect(members.map((m) => [m.id, m.addresses, m.machineType, m.talosVersion, m.controlPlanePort])).toEqual([
      ['lab-controlplane-1', [CPS[0]], 'controlplane', 'v1.13.9', 6443],
      ['lab-controlplane-2', [CPS[1]], 'controlplane', 'v1.13.9', 6443],
      ['lab-controlplane-3', [CPS[2]], 'controlplane', 'v1.13.9', 6443],
      ['lab-worker-1', [WORKERS[0]], 'worker', 'v1.13.9', null],
      ['lab-worker-2', [WORKERS[1]], 'worker', 'v1.13.9', null],
    ]);
    expect(members[0]!.operatingSystem).toBe('Talos (v1.13.9)');
  });

  it('NodeStatuses, VolumeStatuses and MountStatuses describe each node', async () => {
    expect(await reader.evidence.nodeStatuses(WORKERS[1]!)).toEqual([
      expect.objectContaining({ nodename: 'lab-worker-2', nodeReady: true, unschedulable: false }),
    ]);
    const volumes = await reader.evidence.volumeStatuses(CPS[0]!);
    expect(volumes.map((v) => [v.id, v.phase, v.location, v.filesystem])).toEqual([
      ['EPHEMERAL', 'ready', '/dev/vda6', 'xfs'],
      ['META', 'ready', '/dev/vda4', 'talosmeta'],
      ['STATE', 'ready', '/dev/vda5', 'xfs'],
    ]);
    expect(volumes[0]!.sizeBytes).toBe(40 * 1024 ** 3);
    const mounts = await reader.evidence.mountStatuses(CPS[0]!);
    expect(mounts.find((m) => m.id === 'EPHEMERAL')).toMatchObject({ source: '/dev/vda6', target: '/var', filesystemType: 'xfs' });
    const kinds = await reader.resourceDefinitions(CPS[0]!);
    expect(kinds.find((k) => k.type === 'MountStatuses.runtime.talos.dev')!.aliases).toContain('mounts');
    expect(kinds.find((k) => k.type === 'MountStatuses.runtime.talos.dev')!.aliases).not.toContain('mountstatus');
    expect(kinds.find((k) => k.type === 'MountStatuses.block.talos.dev')!.aliases).toContain('mountstatus');
  });

  it('etcd is consistent across control planes: same members, one leader, same term, no alarms, DB size per member', async () => {
    const members = await Promise.all(CPS.map((n) => reader.etcdMembers(n)));
    for (const m of members) expect(m).toEqual(members[0]);
    expect(members[0]!.map((m) => m.hostname)).toEqual(['lab-controlplane-1', 'lab-controlplane-2', 'lab-controlplane-3']);
    const statuses = await Promise.all(CPS.map((n) => reader.etcdStatus(n)));
    const leaders = new Set(statuses.map((s) => s!.leader));
    expect(leaders.size).toBe(1);
    expect(members[0]!.map((m) => m.id)).toContain([...leaders][0]);
    expect(new Set(statuses.map((s) => s!.raftTerm)).size).toBe(1);
    expect(new Set(statuses.map((s) => s!.dbSize)).size).toBe(3);
    for (const s of statuses) expect(Number(s!.dbSizeInUse)).toBeLessThan(Number(s!.dbSize));
    for (const node of CPS) expect(await reader.etcdAlarms(node)).toEqual([]);
    // EtcdMembers `local` names the member as %016x; workers have none.
    const local = await reader.evidence.localEtcdMember(CPS[2]!);
    expect(local).toBe(statuses[2]!.memberId);
    expect(await reader.evidence.localEtcdMember(WORKERS[0]!)).toBeNull();
    await expect(reader.etcdStatus(WORKERS[0]!)).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
  });

  it('elects a new leader in a newer term when the leader goes away, and keeps quorum with two of three', async () => {
    // Leadership on the second control plane (the first one is the endpoint every call goes through).
    const current = lab.etcd.leaderNode()!;
    if (current.id.ip !== CPS[1]) expect(lab.etcd.transferLeadership(current, lab.node(CPS[1]!))?.id.ip).toBe(CPS[1]);
    const before = (await reader.etcdStatus(CPS[2]!))!;
    expect(before.leader).toBe(BigInt(lab.node(CPS[1]!).etcdMemberId).toString(16).padStart(16, '0'));
    const leaderNode = CPS[1]!;
    const other = CPS[2]!;
    lab.setUnreachable(leaderNode, true);
    try {
      const after = (await reader.etcdStatus(other))!;
      expect(after.leader).not.toBe(before.leader);
      expect(after.leader).not.toBe('0'.repeat(16));
      expect(Number(after.raftTerm)).toBe(Number(before.raftTerm) + 1);
    } finally {
      lab.setUnreachable(leaderNode, false);
    }
  });

  it('watches MachineStatus: a kubelet restart makes the node not ready (services) and ready again', async () => {
    const seen: MachineStatusEvidence[] = [];
    const abort = new AbortController();
    const watching = reader.evidence.watchMachineStatus(WORKERS[0]!, (s) => s && seen.push(s), abort.signal).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    await operator.serviceAction(WORKERS[0]!, 'kubelet', 'restart');
    await expect.poll(() => seen.some((s) => !s.ready), { timeout: 3000 }).toBe(true);
    await expect.poll(() => seen.at(-1)?.ready, { timeout: 5000 }).toBe(true);
    abort.abort();
    await watching;
    expect(seen[0]).toEqual({ stage: 'running', ready: true, unmetConditions: [] });
    const notReady = seen.find((s) => !s.ready)!;
    expect(notReady.unmetConditions).toEqual([{ name: 'services', reason: expect.stringMatching(/^kubelet not running/) }]);
  });
});
