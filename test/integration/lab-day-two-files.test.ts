import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import { dependenciesDot } from '../../electron/talos/calls/support';
import { untar, untarGz } from '../../electron/talos/tar-reader';
import type { TalosClient } from '../../electron/talos/client';
import { labClient } from '../helpers/lab-identity';

let lab: Lab;
let admin: TalosClient;
let operator: TalosClient;
let reader: TalosClient;
let dir: string;
const CP = '10.5.0.2';
const W = '10.5.0.3';

beforeAll(async () => {
  lab = await startLab({ nodes: 2, seed: 4, logRate: 5 });
  admin = labClient(lab, 'admin');
  operator = labClient(lab, 'operator');
  reader = labClient(lab, 'reader');
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-files-'));
});
afterAll(async () => {
  for (const c of [admin, operator, reader]) c.close();
  await lab.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('DiskUsage', () => {
  it('shows only the totals of the paths at talosctl’s default depth', async () => {
    const du = await reader.files.diskUsage(CP, { paths: ['/etc', '/nope'] });
    expect(du.map((d) => [d.name, d.relativeName])).toEqual([
      ['/etc', '.'],
      ['/nope', '/nope'],
    ]);
    expect(du[1]!.error).toMatch(/no such file or directory/);
  });

  it('lists a directory after its contents, directories only unless all, with depth and threshold', async () => {
    const dirs = await reader.files.diskUsage(CP, { paths: ['/var/log'], depth: 5 });
    expect(dirs[dirs.length - 1]).toMatchObject({ name: '/var/log', relativeName: '.' });
    expect(dirs.every((d) => !d.relativeName.endsWith('.log'))).toBe(true);
    const all = await reader.files.diskUsage(CP, { paths: ['/var/log'], depth: 5, all: true });
    const archive = all.find((d) => d.relativeName === 'kmsg-archive.log')!;
    expect(archive.sizeBytes).toBeGreaterThan(4 * 1024 * 1024);
    const total = all[all.length - 1]!;
    const children = all.filter((d) => !d.relativeName.includes('/') && d.relativeName !== '.');
    expect(total.sizeBytes).toBe(4096 + children.reduce((n, d) => n + d.sizeBytes, 0));
    for (const d of all.filter((d) => d.relativeName.startsWith('pods/'))) {
      expect(all.indexOf(d)).toBeLessThan(all.findIndex((x) => x.relativeName === 'pods'));
    }
    const shallow = await reader.files.diskUsage(CP, { paths: ['/var/log'], depth: 1, all: true });
    expect(shallow.every((d) => d.relativeName === '.' || !d.relativeName.includes('/'))).toBe(true);
    const big = await reader.files.diskUsage(CP, { paths: ['/var/log'], depth: 5, all: true, threshold: 1024 * 1024 });
    expect(big.every((d) => d.sizeBytes >= 1024 * 1024)).toBe(true);
    const small = await reader.files.diskUsage(CP, { paths: ['/var/log'], depth: 5, all: true, threshold: -4096 });
    expect(small.every((d) => d.sizeBytes <= 4096)).toBe(true);
    expect(small.length).toBeGreaterThan(0);
  });

  it('counts procfs and cgroupfs files as 0 bytes, as stat does', async () => {
    const du = await reader.files.diskUsage(CP, { paths: ['/proc/cmdline'], all: true });
    expect(du[0]!.sizeBytes).toBe(0);
  });
});

describe('Copy', () => {
  it('streams a .tar.gz of a directory with relative names, the root left out and directories ending in /', async () => {
    await expect(reader.files.copyEntries(CP, '/etc')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const entries = await admin.files.copyEntries(CP, '/etc');
    const names = entries.map((e) => e.name);
    expect(names).toContain('hosts');
    expect(names).toContain('kubernetes/');
    expect(names).toContain('ssl/certs/ca-certificates.crt');
    expect(names.some((n) => n.startsWith('/') || n === '.' || n === 'etc/')).toBe(false);
    const hosts = entries.find((e) => e.name === 'hosts')!;
    expect(hosts.content!.toString()).toBe((await admin.read(CP, '/etc/hosts')).toString());
    expect(hosts.mode).toBe(0o644);
    expect(entries.find((e) => e.name === 'ssl/certs/ca-certificates.crt')).toMatchObject({
      type: 'symlink',
      linkname: '/etc/ssl/certs/ca-certificates',
    });
  });

  it('reads zero-size pseudo files for their content and archives a single file under its base name', async () => {
    const proc = await admin.files.copyEntries(CP, '/proc/cmdline');
    expect(proc.map((e) => e.name)).toEqual(['cmdline']);
    expect(proc[0]!.content!.toString()).toMatch(/slab_nomerge/);
  });

  it('writes to a file through .part, in 1 KiB messages, and refuses relative and missing paths', async () => {
    const sizes: number[] = [];
    await admin.connection.stream(M.copy, { rootPath: '/var/log' }, CP, (d) => sizes.push(d.bytes.length));
    expect(Math.max(...sizes)).toBe(1024);
    const target = path.join(dir, 'var-log.tar.gz');
    const result = await admin.files.copyToFile(CP, '/var/log', target);
    const bytes = await readFile(target);
    expect(result.sizeBytes).toBe(bytes.length);
    expect(untarGz(bytes).some((e) => e.name === 'kmsg-archive.log')).toBe(true);
    await expect(admin.files.copyToFile(CP, 'etc', path.join(dir, 'rel.tar.gz'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(admin.files.copyToFile(CP, '/nope', path.join(dir, 'nope.tar.gz'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await readdir(dir)).sort()).toEqual(['var-log.tar.gz']);
  });
});

describe('Kubeconfig', () => {
  it('sends one message: a gzip’d tar holding kubeconfig, not closed; admin and control planes only', async () => {
    const messages: Buffer[] = [];
    await admin.connection.stream(M.kubeconfig, {}, CP, (d) => messages.push(Buffer.from(d.bytes)));
    expect(messages).toHaveLength(1);
    const tarBytes = gunzipSync(messages[0]!);
    expect(tarBytes.length % 512).toBe(0);
    expect(tarBytes.subarray(-1024).every((b) => b === 0)).toBe(false);
    expect(untar(tarBytes).map((e) => e.name)).toEqual(['kubeconfig']);

    const yaml = await admin.files.kubeconfig(CP);
    const config = parse(yaml) as {
      'current-context': string;
      clusters: { cluster: { server: string } }[];
      users: { user: Record<string, string> }[];
    };
    expect(config['current-context']).toBe('admin@lab');
    expect(config.clusters[0]!.cluster.server).toBe('https://10.5.0.2:6443');
    expect(Buffer.from(config.users[0]!.user['client-key-data']!, 'base64').toString()).toMatch(/BEGIN EC PRIVATE KEY/);
    await expect(operator.files.kubeconfig(CP)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(admin.files.kubeconfig(W)).rejects.toMatchObject({
      code: 'UNIMPLEMENTED',
      message: /kubeconfig is only available on control plane nodes/,
    });
  });
});

describe('Stats, DiskStats, cgroups, inspect, disks', () => {
  it('reports container working sets and cumulative CPU nanoseconds that only grow', async () => {
    const first = await reader.stats.containers(CP, 'k8s.io');
    const apiserver = first.find((s) => s.name === 'kube-apiserver')!;
    expect(apiserver.memoryBytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(apiserver.id).toMatch(/^kube-system\/kube-apiserver-lab-controlplane-1:kube-apiserver:[0-9a-f]{12}$/);
    await new Promise((r) => setTimeout(r, 50));
    const second = await reader.stats.containers(CP, 'k8s.io');
    expect(second.find((s) => s.name === 'kube-apiserver')!.cpuNanoseconds).toBeGreaterThanOrEqual(apiserver.cpuNanoseconds);
    expect(first.every((s) => !s.id.includes('pause'))).toBe(true);
    expect((await reader.stats.containers(CP, 'system')).map((s) => s.id)).toEqual(expect.arrayContaining(['etcd', 'kubelet', 'apid']));
    await expect(reader.connection.unary(M.stats, { namespace: 'system', driver: 1 }, CP)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('reads disk I/O counters with a total', async () => {
    const io = await reader.stats.diskStats(W);
    expect(io.devices.map((d) => d.name)).toEqual(expect.arrayContaining(['vda', 'vda6']));
    expect(io.total!.writesCompleted).toBe(io.devices.reduce((n, d) => n + d.writesCompleted, 0));
  });

  it('builds talosctl cgroups from Copy /sys/fs/cgroup with service, pod and container names (admin only)', async () => {
    await expect(operator.cgroups.list(CP)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const groups = await admin.cgroups.list(CP);
    const byPath = new Map(groups.map((g) => [g.path, g]));
    expect(byPath.get('/podruntime/etcd')).toMatchObject({ name: 'etcd', processes: ['etcd'], swap: { max: '0' } });
    expect(byPath.get('/init')!.processes).toEqual(['init', 'machined']);
    expect(byPath.get('/system/apid')!.memory.current).toBeGreaterThan(0);
    const pod = groups.find((g) => g.name.startsWith('kube-system/kube-apiserver-'))!;
    expect(pod.path).toMatch(/^\/kubepods\/burstable\/pod/);
    expect(groups.find((g) => g.path.startsWith(pod.path + '/') && g.name === 'kube-apiserver')).toBeDefined();
    expect(groups.find((g) => g.path.startsWith(pod.path + '/') && g.name === 'sandbox')).toBeDefined();
    expect(byPath.get('/kubepods')!.memory.current).toBeGreaterThan(byPath.get('/kubepods/burstable')!.memory.current! - 1);
    expect(byPath.get('/podruntime/kubelet')!.io[0]!.device).toBe('vda');
    expect(byPath.get('/system/apid')!.psi.cpu.some).toMatchObject({ avg10: 0 });
    expect(byPath.get('/')!.name).toBe('.');
  });

  it('serves the controller dependency graph for the bundle’s dependencies.dot', async () => {
    const edges = await reader.support.controllerDependencies(CP);
    expect(edges).toContainEqual({
      controller: 'runtime.SBOMItemController',
      kind: 'output-exclusive',
      namespace: 'runtime',
      type: 'SBOMItems.talos.dev',
      id: null,
    });
    const dot = dependenciesDot(edges);
    expect(dot).toMatch(/^digraph \{/);
    expect(dot).toContain('"runtime.MachineStatusController" [shape=box];');
    expect(await admin.support.pciDevices(W)).toMatch(/^0000\t80861237\t/);
    await expect(reader.support.pciDevices(W)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('lists disks and discovered volumes (snake_case on the wire), a user disk on workers', async () => {
    const disks = await reader.storage.disks(W);
    expect(disks.map((d) => d.id).sort()).toEqual(['sr0', 'vda', 'vdb']);
    expect(disks.find((d) => d.id === 'vda')).toMatchObject({ devPath: '/dev/vda', transport: 'virtio', readonly: false });
    expect(disks.find((d) => d.id === 'sr0')).toMatchObject({ cdrom: true, readonly: true });
    expect((await reader.storage.disks(CP)).map((d) => d.id)).not.toContain('vdb');
    const volumes = await reader.storage.discoveredVolumes(W);
    expect(volumes.find((v) => v.id === 'vda6')).toMatchObject({ partitionLabel: 'EPHEMERAL', filesystem: 'xfs', parent: 'vda' });
    expect(volumes.find((v) => v.id === 'vda')).toMatchObject({ type: 'disk', filesystem: 'gpt' });
  });
});
