import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import type { Operation, OperationAction } from '../../shared/domain/operation';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import { findSecrets } from '../../electron/services/day-two/secret-scan';
import type { Lab } from '../../lab/cluster';
import { formatMemberId } from '../../lab/model/etcd-cluster';
import { etcdTimings } from '../../lab/server/etcd-maintenance';
import { timings } from '../../lab/server/lifecycle';
import { captureTimings } from '../../lab/server/capture-handlers';

let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;
const chunks = new Map<string, Buffer[]>();
const admin = 'practice:admin@lab';
const operator = 'practice:operator@lab';
const reader = 'practice:reader@lab';
const CP1 = '10.5.0.2';
const CP2 = '10.5.0.3';
const CP3 = '10.5.0.4';
const W = '10.5.0.5';

async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as Response<C>;
}
async function failure(channel: Channel, request: unknown): Promise<{ code: string; message: string }> {
  const result = await dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} succeeded`);
  return result.error;
}
const lab = (): Lab => services.lab.current()!;
const planOf = (nodes: string[], action: OperationAction, identityId = admin) =>
  call('operations.plan', { identityId, nodes, action, workerBatchSize: 1, gateTimeoutSeconds: 20 });
async function run(planId: string, clusterName: string | null = null): Promise<Operation> {
  const started = await call('operations.start', { planId, clusterName, quorumOverride: null });
  await services.operations.finished(started.id);
  return services.operations.list().find((op) => op.id === started.id)!;
}
const saved = (downloadId: string) => Buffer.concat(chunks.get(downloadId) ?? []);

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  etcdTimings.defragMs = 20;
  etcdTimings.stepMs = 20;
  captureTimings.tickMs = 20;
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-day-two-'));
  services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: dir,
    emit: (name, payload) => {
      if (name !== 'files.chunk') return;
      const p = payload as { downloadId: string; base64: string | null };
      if (p.base64) chunks.set(p.downloadId, [...(chunks.get(p.downloadId) ?? []), Buffer.from(p.base64, 'base64')]);
    },
    env: {},
    home: dir,
    operations: { pollMs: 50 },
  });
  dispatch = createDispatcher(services, () => undefined);
  await call('vault.setup', { passphrase: 'day two test passphrase' });
  await call('lab.start', { nodes: 4, controlPlanes: 3 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('etcd maintenance through plans', () => {
  it('snapshot: the bytes saved are what the node served, with its SHA-256 trailer verified; readers are refused', async () => {
    const r = await call('downloads.etcdSnapshot', { identityId: operator, node: CP1, downloadId: 'snap-1' });
    const file = saved('snap-1');
    expect(r.bytes).toBe(file.length);
    expect(file.length % 512).toBe(32);
    expect(r.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(r.dbSha256).toBe(file.subarray(file.length - 32).toString('hex'));
    expect(
      createHash('sha256')
        .update(file.subarray(0, file.length - 32))
        .digest('hex'),
    ).toBe(r.dbSha256);
    expect(await failure('downloads.etcdSnapshot', { identityId: reader, node: CP1, downloadId: 'snap-2' })).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('defrag: one member at a time, etcd gate after each; refused on workers and for readers', async () => {
    const plan = await planOf([CP1, CP2, CP3], { kind: 'etcd-defrag' });
    expect(plan.blockers).toEqual([]);
    expect(plan.steps.map((s) => s.batch)).toEqual([1, 2, 3]);
    expect(plan.steps[0]!.talosctl).toMatch(/etcd defrag$/);
    expect(plan.steps[0]!.gates.map((g) => g.id)).toEqual(['etcd']);
    const op = await run(plan.id);
    expect(op.state).toBe('succeeded');
    expect((await planOf([W], { kind: 'etcd-defrag' })).blockers.join(' ')).toMatch(/worker: etcd runs only on control planes/);
    expect((await planOf([CP1], { kind: 'etcd-defrag' }, reader)).blockers.join(' ')).toMatch(/needs os:admin or os:operator/);
  });

  it('alarm disarm clears a NOSPACE alarm; forfeit-leadership moves the leader', async () => {
    const etcd = lab().nodes.find((n) => n.id.ip === CP1)!.etcd!;
    etcd.raiseAlarm(etcd.members[1]!.id, 'NOSPACE');
    const plan = await planOf([CP1], { kind: 'etcd-alarm-disarm' }, operator);
    expect(plan.etcd?.alarms.join(' ')).toMatch(/NOSPACE/);
    const op = await run(plan.id);
    expect(op.state).toBe('succeeded');
    expect(op.steps[0]!.detail).toMatch(/Disarmed NOSPACE/);
    expect((await call('talos.etcd', { identityId: admin, nodes: [CP1] }))[0]).toMatchObject({ ok: true, value: { alarms: [] } });
    expect((await planOf([CP1, CP2], { kind: 'etcd-alarm-disarm' })).blockers.join(' ')).toMatch(/exactly one node/);

    const leader = lab().nodes.find((n) => formatMemberId(n.etcdMemberId) === etcd.statusOf(n, n.now())?.leader) ?? lab().nodes[0]!;
    const forfeit = await run((await planOf([leader.id.ip], { kind: 'etcd-forfeit-leadership' })).id);
    expect(forfeit.state).toBe('succeeded');
    expect(forfeit.steps[0]!.detail).toMatch(/Leadership moved to|not the leader/);
  });

  it('remove-member by hex id and leave: the quorum guard counts the members that remain, cluster name typed', async () => {
    const unknown = await planOf([CP1], { kind: 'etcd-remove-member', memberId: 'deadbeef' });
    expect(unknown.blockers.join(' ')).toMatch(/no etcd member deadbeef/);
    // CP3's node is gone: remove its member through CP1.
    const cp3 = lab().nodes.find((n) => n.id.ip === CP3)!;
    lab().setUnreachable(CP3, true);
    const id = formatMemberId(cp3.etcdMemberId);
    const plan = await planOf([CP1], { kind: 'etcd-remove-member', memberId: `0x${id.replace(/^0+/, '')}` });
    expect(plan.blockers).toEqual([]);
    expect(plan.refusals).toEqual([]);
    expect(plan.typeClusterName).toBe(true);
    expect(plan.steps[0]!.talosctl).toMatch(/etcd remove-member /);
    expect(await failure('operations.start', { planId: plan.id, clusterName: 'wrong', quorumOverride: null })).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const op = await run((await planOf([CP1], { kind: 'etcd-remove-member', memberId: id })).id, plan.cluster);
    expect(op.state).toBe('succeeded');
    expect(op.steps[0]!.gates[0]).toMatchObject({ id: 'removed', status: 'passed' });
    // Two members left: one leaving keeps a quorum of one; the last one may not leave.
    const leave = await planOf([CP2], { kind: 'etcd-leave' });
    expect(leave.refusals).toEqual([]);
    expect((await run(leave.id, leave.cluster)).state).toBe('succeeded');
    const last = await planOf([CP1], { kind: 'etcd-leave' });
    expect(last.refusals[0]?.reason).toMatch(/last etcd member/);
  });
});

describe('network, storage and the rest of the read-outs', () => {
  it('netstat lists listening sockets with processes; captures save a pcap with a live packet count', async () => {
    const [n] = await call('network.netstat', { identityId: reader, nodes: [W], filter: 'listening', pods: false });
    expect(n).toMatchObject({ ok: true });
    const sockets = n!.ok ? n!.value : [];
    expect(sockets.find((s) => s.localPort === 50000)).toMatchObject({ listening: true, process: 'apid' });

    const r = await call('downloads.capture', {
      identityId: operator,
      node: W,
      downloadId: 'pcap-1',
      interface: 'eth0',
      filter: 'tcp port 50000',
      promiscuous: false,
      snapLen: 4096,
      durationSeconds: 1,
    });
    const file = saved('pcap-1');
    expect(file.readUInt32LE(0)).toBe(0xa1b23c4d);
    expect(r.packets).toBeGreaterThan(0);
    expect(r.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(
      await failure('downloads.capture', {
        identityId: reader,
        node: W,
        downloadId: 'pcap-2',
        interface: 'eth0',
        filter: '',
        promiscuous: false,
        snapLen: 4096,
        durationSeconds: 1,
      }),
    ).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(
      await failure('downloads.capture', {
        identityId: operator,
        node: W,
        downloadId: 'pcap-3',
        interface: 'eth0',
        filter: 'tcp or udp',
        promiscuous: false,
        snapLen: 4096,
        durationSeconds: 1,
      }),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/tcpdump -dd/) });
  });

  it('disks, usage, cgroups, stats, images and time answer per node', async () => {
    const [disks] = await call('storage.disks', { identityId: reader, nodes: [W] });
    expect(disks!.ok && disks!.value.disks.some((d) => d.devPath === '/dev/vda')).toBe(true);
    const usage = await call('storage.usage', { identityId: reader, node: W, paths: ['/var/log'], depth: 1, all: false, threshold: 0 });
    expect(usage.at(-1)).toMatchObject({ name: '/var/log' });
    const cgroups = await call('system.cgroups', { identityId: admin, node: W });
    expect(cgroups.length).toBeGreaterThan(3);
    expect(await failure('system.cgroups', { identityId: reader, node: W })).toMatchObject({ code: 'PERMISSION_DENIED' });
    const [stats] = await call('system.stats', { identityId: reader, nodes: [W], k8s: true });
    expect(stats!.ok && stats!.value.length).toBeGreaterThan(0);
    const [images] = await call('images.list', { identityId: reader, nodes: [W], store: 'cri' });
    expect(images!.ok && images!.value.length).toBeGreaterThan(0);
    const [time] = await call('time.check', { identityId: reader, nodes: [W], server: '' });
    expect(time).toMatchObject({ ok: true });
  });

  it('image pull runs as a plan and its gate finds the image in the store', async () => {
    const plan = await planOf([W], { kind: 'image-pull', image: 'registry.k8s.io/pause:3.10', store: 'cri' }, operator);
    expect(plan.steps[0]!.talosctl).toMatch(/image pull registry.k8s.io\/pause:3.10$/);
    const op = await run(plan.id);
    expect(op.state).toBe('succeeded');
    expect(op.steps[0]!.detail).toMatch(/Pulled registry.k8s.io\/pause/);
  });

  it('copy saves a .tar.gz for admins only', async () => {
    const r = await call('downloads.copy', { identityId: admin, node: W, path: '/var/log', downloadId: 'copy-1' });
    const file = saved('copy-1');
    expect(file.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(r.bytes).toBe(file.length);
    expect(await failure('downloads.copy', { identityId: operator, node: W, path: '/var/log', downloadId: 'copy-2' })).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });
});

describe('support bundle', () => {
  it('one zip with a manifest and files per node; sensitive types as <REDACTED>; no secret anywhere', async () => {
    const r = await call('downloads.support', { identityId: admin, nodes: [CP1, W], downloadId: 'support-1' });
    const zip = unzipSync(new Uint8Array(saved('support-1')));
    const names = Object.keys(zip);
    expect(names).toContain('manifest.json');
    for (const node of [CP1, W]) {
      expect(names).toContain(`${node}/dmesg.log`);
      expect(names).toContain(`${node}/service-logs/apid.log`);
      expect(names).toContain(`${node}/processes`);
      expect(names).toContain(`${node}/resources/MachineConfigs.config.talos.dev.yaml`);
    }
    expect(strFromU8(zip[`${W}/resources/MachineConfigs.config.talos.dev.yaml`]!)).toMatch(/spec: <REDACTED>/);
    expect(r.manifest.redactedTypes).toContain('MachineConfigs.config.talos.dev');
    expect(r.manifest.files).toBe(names.length);
    for (const [name, data] of Object.entries(zip)) expect([name, findSecrets(strFromU8(data))]).toEqual([name, []]);
  });
});

describe('the rare and dangerous ones', () => {
  it('kubeconfig needs the cluster name typed and os:admin, and is audited', async () => {
    const wrong = await failure('downloads.kubeconfig', { identityId: admin, node: CP1, downloadId: 'kc-1', clusterName: 'nope' });
    expect(wrong.message).toMatch(/Type the cluster name "lab"/);
    const r = await call('downloads.kubeconfig', { identityId: admin, node: CP1, downloadId: 'kc-2', clusterName: 'lab' });
    expect(saved('kc-2').toString('utf8')).toMatch(/apiVersion: v1[\s\S]*clusters:/);
    expect(r.bytes).toBeGreaterThan(100);
    const audit = await call('audit.list', {
      from: null,
      to: null,
      node: null,
      identity: null,
      method: '/machine.MachineService/Kubeconfig',
      outcome: null,
    });
    expect(audit.length).toBeGreaterThan(0);
  });

  it('reset, rollback and bootstrap plans ask for the cluster name even on workers; bootstrap is refused on a bootstrapped cluster', async () => {
    const reset = await planOf([W], { kind: 'reset', graceful: true, reboot: false, mode: 'all', systemLabels: [], userDisks: [] });
    expect(reset.typeClusterName).toBe(true);
    expect(reset.steps[0]!.talosctl).toMatch(/talosctl .* reset$/);
    expect(reset.warnings.join(' ')).toMatch(/maintenance mode/);
    const rollback = await planOf([W], { kind: 'rollback' });
    expect(rollback.typeClusterName).toBe(true);
    const boot = await planOf([CP1], { kind: 'bootstrap' });
    expect(boot.blockers.join(' ')).toMatch(/already bootstrapped/);
    const op = await run(reset.id, reset.cluster);
    expect(op.state).toBe('succeeded');
    expect(op.steps[0]!.gates[0]).toMatchObject({ id: 'off', status: 'passed' });
  });
});
