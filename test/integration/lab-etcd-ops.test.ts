import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { formatMemberId } from '../../lab/model/etcd-cluster';
import { awaitBootstrap } from '../../lab/model/etcd-membership';
import { etcdTimings } from '../../lab/server/etcd-maintenance';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import { snapshotStatus } from '../../electron/talos/etcd-snapshot-status';
import type { TalosClient } from '../../electron/talos/client';
import { labClient, mintedClient } from '../helpers/lab-identity';

const CP1 = '10.5.0.2';
const CP2 = '10.5.0.3';
const CP3 = '10.5.0.4';
const W = '10.5.0.5';

let lab: Lab;
let admin: TalosClient;
let operator: TalosClient;
let reader: TalosClient;
let dir: string;

etcdTimings.defragMs = 20;
etcdTimings.stepMs = 20;

async function fresh() {
  lab = await startLab({ nodes: 4, controlPlanes: 3, seed: 8, logRate: 0 });
  admin = labClient(lab, 'admin');
  operator = labClient(lab, 'operator');
  reader = labClient(lab, 'reader');
}
async function teardown() {
  for (const c of [admin, operator, reader]) c.close();
  await lab.stop();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-etcd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EtcdSnapshot', () => {
  beforeAll(fresh);
  afterAll(teardown);

  it('streams the member database in 1 KiB chunks plus its SHA-256, and the client writes and verifies it', async () => {
    const sizes: number[] = [];
    await reader.connection
      .stream(M.etcdSnapshot, {}, CP1, (d) => sizes.push(d.bytes.length))
      .catch((e: unknown) => expect(e).toMatchObject({ code: 'PERMISSION_DENIED' }));
    expect(sizes).toEqual([]);

    const file = path.join(dir, 'db.snapshot');
    let progress = 0;
    const result = await operator.etcdOps.snapshot(CP1, file, (n) => (progress = n));
    const bytes = await readFile(file);
    expect(result).toMatchObject({ path: file, sizeBytes: bytes.length });
    expect(progress).toBe(bytes.length);
    expect(bytes.length % 512).toBe(32);
    const db = bytes.subarray(0, bytes.length - 32);
    expect(bytes.subarray(-32).toString('hex')).toBe(createHash('sha256').update(db).digest('hex'));
    expect(result.dbSha256).toBe(createHash('sha256').update(db).digest('hex'));
    expect(result.fileSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(db.length).toBe(Math.ceil(Number((await reader.etcdStatus(CP1))!.dbSize) / 4096) * 4096);
    expect(await readdir(dir)).toEqual(['db.snapshot']);

    const status = snapshotStatus(bytes);
    expect(status.totalSize).toBe(db.length);
    expect(status.totalKeys).toBeGreaterThan(400);
    expect(status.revision).toBeGreaterThan(1000);
    expect(status.hash).toBeGreaterThan(0);
    expect(db.includes(Buffer.from('/registry/secrets/kube-system/bootstrap-token-abcdef'))).toBe(true);
    expect(db.includes(Buffer.from('k8s:enc:secretbox:v1:key1:'))).toBe(true);
  });

  it('lets os:etcd:backup take a snapshot, and nothing else', async () => {
    const backup = mintedClient(lab, await lab.issueClient(['os:etcd:backup']), ['os:etcd:backup']);
    try {
      const result = await backup.etcdOps.snapshot(CP2, path.join(dir, 'backup.db'));
      expect(result.sizeBytes % 512).toBe(32);
      await expect(backup.etcdOps.defragment(CP2)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    } finally {
      backup.close();
    }
  });

  it('refuses a worker (control planes only) and leaves no partial file', async () => {
    await expect(operator.etcdOps.snapshot(W, path.join(dir, 'worker.db'))).rejects.toMatchObject({
      code: 'UNIMPLEMENTED',
      message: expect.stringMatching(/etcd is only available on control plane nodes/),
    });
    const abort = new AbortController();
    await expect(
      operator.etcdOps.snapshot(CP1, path.join(dir, 'cancelled.db'), (n) => n > 50_000 && abort.abort(), abort.signal),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await readdir(dir)).filter((f) => f.startsWith('worker') || f.startsWith('cancelled'))).toEqual([]);
  });
});

describe('etcd maintenance', () => {
  beforeEach(fresh);
  afterEach(teardown);

  it('defragments one member: the DB shrinks to what is in use; readers may not', async () => {
    await expect(reader.etcdOps.defragment(CP2)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const before = (await reader.etcdStatus(CP2))!;
    await operator.etcdOps.defragment(CP2);
    const after = (await reader.etcdStatus(CP2))!;
    expect(Number(after.dbSize)).toBeLessThan(Number(before.dbSize));
    expect(Number(after.dbSize)).toBeGreaterThanOrEqual(Number(after.dbSizeInUse));
    expect((await reader.etcdStatus(CP3))!.dbSize).toBe((await reader.etcdStatus(CP3))!.dbSize);
  });

  it('disarms every alarm and returns the ones it disarmed', async () => {
    const member = lab.etcd.members[1]!.id;
    lab.etcd.raiseAlarm(member, 'NOSPACE');
    expect(await reader.etcdAlarms(CP1)).toEqual([{ memberId: formatMemberId(member), alarm: 'NOSPACE' }]);
    await expect(reader.etcdOps.alarmDisarm(CP1)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await operator.etcdOps.alarmDisarm(CP1)).toEqual([{ memberId: formatMemberId(member), alarm: 'NOSPACE' }]);
    expect(await reader.etcdAlarms(CP1)).toEqual([]);
    expect(await operator.etcdOps.alarmDisarm(CP1)).toEqual([]);
  });

  it('forfeits leadership on the leader only, naming the new leader (admin only)', async () => {
    const leader = lab.etcd.leaderNode()!;
    const follower = lab.nodes.find((n) => n.id.type === 'controlplane' && n !== leader)!;
    await expect(operator.etcdOps.forfeitLeadership(leader.id.ip)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await admin.etcdOps.forfeitLeadership(follower.id.ip)).toBeNull();
    const next = await admin.etcdOps.forfeitLeadership(leader.id.ip);
    expect(next).not.toBeNull();
    expect(next).not.toBe(leader.id.hostname);
    const status = (await reader.etcdStatus(CP1))!;
    expect(lab.nodes.find((n) => formatMemberId(n.etcdMemberId) === status.leader)!.id.hostname).toBe(next);
  });

  it('removes a member by the hex ID talosctl prints; unknown IDs are NotFound, bad ones never leave the client', async () => {
    const gone = lab.node(CP3);
    await expect(admin.etcdOps.removeMemberById(CP1, 'ffffffffffffffff')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(admin.etcdOps.removeMemberById(CP1, 'not-hex')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(operator.etcdOps.removeMemberById(CP1, formatMemberId(gone.etcdMemberId))).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    await admin.etcdOps.removeMemberById(CP1, formatMemberId(gone.etcdMemberId));
    expect((await reader.etcdMembers(CP1)).map((m) => m.hostname)).toEqual(['lab-controlplane-1', 'lab-controlplane-2']);
    await expect.poll(() => gone.services.get('etcd')!.state).toBe('Failed');
  });

  it('leaves the cluster: member removed, etcd stopped, data emptied; leaving again is fine; the last member may not', async () => {
    await admin.etcdOps.leaveCluster(CP3);
    expect((await reader.etcdMembers(CP1)).map((m) => m.hostname)).toEqual(['lab-controlplane-1', 'lab-controlplane-2']);
    await expect.poll(() => lab.node(CP3).services.get('etcd')!.state).toBe('Finished');
    await expect(reader.etcdMembers(CP3)).rejects.toThrow(/connection refused/);
    await admin.etcdOps.leaveCluster(CP3);
    await admin.etcdOps.leaveCluster(CP2);
    await expect(admin.etcdOps.leaveCluster(CP1)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/not enough started members/),
    });
    await expect(admin.etcdOps.leaveCluster(W)).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
  });
});

describe('Bootstrap', () => {
  beforeEach(fresh);
  afterEach(teardown);

  it('answers AlreadyExists on a bootstrapped member, Unimplemented on a worker, FailedPrecondition when not waiting', async () => {
    await expect(operator.etcdOps.bootstrap(CP1)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(admin.etcdOps.bootstrap(CP1)).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: expect.stringMatching(/etcd data directory is not empty/),
    });
    await expect(admin.etcdOps.bootstrap(W)).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
    await admin.etcdOps.leaveCluster(CP3);
    await expect(admin.etcdOps.bootstrap(CP3)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/bootstrap is not available yet/),
    });
  });

  it('bootstraps a fresh cluster: one member first, then the others join', async () => {
    awaitBootstrap(lab.nodes.filter((n) => n.id.type === 'controlplane'));
    lab.node(CP1).health.timeSynced = false;
    await expect(admin.etcdOps.bootstrap(CP1)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: /time is not in sync yet/ });
    lab.node(CP1).health.timeSynced = true;
    const services = await reader.services(CP2);
    expect(services.find((s) => s.id === 'etcd')).toMatchObject({
      state: 'Preparing',
      lastEvent: expect.stringMatching(/talosctl bootstrap/),
    });
    await admin.etcdOps.bootstrap(CP1);
    expect((await reader.etcdMembers(CP1)).map((m) => m.hostname)).toEqual(['lab-controlplane-1']);
    await expect.poll(async () => (await reader.etcdMembers(CP1)).length, { timeout: 5000 }).toBe(3);
    await expect(admin.etcdOps.bootstrap(CP2)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });
});
