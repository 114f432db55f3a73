import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { timings } from '../../lab/server/lifecycle';
import { parseTalosconfig } from '../../certs/talosconfig-import';
import { MachineServiceService as M } from '../../proto/gen/machine/machine';
import type { TalosClient } from '../../electron/talos/client';
import { labClient } from '../helpers/lab-identity';
import { LogBuffer } from '../../lab/model/log-buffer';

let lab: Lab;
let admin: TalosClient;
let reader: TalosClient;
const CP = '10.5.0.2';
const W = '10.5.0.3';

beforeAll(async () => {
  timings.rebootDowntimeMs = 600;
  timings.stepMs = 40;
  lab = await startLab({ nodes: 2, seed: 11, logRate: 50 });
  admin = labClient(lab, 'admin');
  reader = labClient(lab, 'reader');
});
afterAll(async () => {
  admin.close();
  reader.close();
  await lab.stop();
});

describe('practice cluster methods', () => {
  it('writes a talosconfig the importer takes unchanged, with three role contexts', () => {
    const parsed = parseTalosconfig(lab.talosconfig);
    expect(parsed.current).toBe('admin@lab');
    expect(parsed.contexts.map((c) => [c.name, c.roles, c.problems])).toEqual([
      ['admin@lab', ['os:admin'], []],
      ['operator@lab', ['os:operator'], []],
      ['reader@lab', ['os:reader'], []],
    ]);
    expect(lab.talosconfig).toMatch(
      /^context: admin@lab\ncontexts:\n {4}admin@lab:\n {8}endpoints:\n {12}- 127\.0\.0\.1:\d+\n {8}nodes:\n {12}- 10\.5\.0\.2/,
    );
  });

  it('serves Dmesg records one per message in Talos format', async () => {
    const records: string[] = [];
    await reader.dmesg(CP, { follow: false, tail: false }, (lines) => records.push(...lines));
    expect(records.length).toBeGreaterThan(5);
    expect(records[0]).toMatch(/^kern: {4}info: \[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z\]: Linux version/);
    expect(records.some((r) => /^user: warning: \[.*\]: \[talos\]/.test(r))).toBe(true);
  });

  it('lists a directory with Go FileMode bits and reports files and symlinks', async () => {
    const entries = await reader.list(CP, { root: '/etc' });
    expect(entries[0]).toMatchObject({ path: '/etc', relativeName: '.', isDir: true });
    const hosts = entries.find((e) => e.relativeName === 'hosts')!;
    expect(hosts.mode).toBe('-rw-r--r--');
    expect(entries.find((e) => e.relativeName === 'kubernetes')!.mode).toBe('drwx------');
    const deep = await reader.list(CP, { root: '/etc', recurse: true, recursionDepth: 0 });
    const link = deep.find((e) => e.relativeName === 'ssl/certs/ca-certificates.crt')!;
    expect(link.mode).toMatch(/^L/);
    expect(link.link).toBe('/etc/ssl/certs/ca-certificates');
    await expect(admin.read(CP, '/etc')).rejects.toThrow(/path must be a regular file/);
  });

  it('answers stats, containers, mounts, time and etcd alarms', async () => {
    expect((await reader.memory(W)).totalMb).toBeGreaterThan(1000);
    expect((await reader.loadAvg(W)).load1).toBeGreaterThanOrEqual(0);
    const stat = await reader.systemStat(W);
    expect(stat.bootTime).toBeLessThan(Date.now() / 1000);
    expect((await reader.processes(CP)).map((p) => p.command)).toContain('etcd');
    expect((await reader.mounts(W)).map((m) => m.mountedOn)).toContain('/var');
    expect((await reader.containers(CP, 'system')).map((c) => c.id)).toEqual(expect.arrayContaining(['etcd', 'kubelet', 'apid']));
    const pods = await reader.containers(W, 'k8s.io');
    expect(pods.some((c) => c.status === 'CONTAINER_RUNNING' && /^kube-system\/kube-proxy-\w+:kube-proxy:[0-9a-f]{12}$/.test(c.id))).toBe(
      true,
    );
    expect((await reader.timeCheck(W, 'pool.ntp.org')).server).toBe('pool.ntp.org');
    expect(await reader.etcdAlarms(CP)).toEqual([]);
    expect(await reader.logsContainers(CP)).toEqual(expect.arrayContaining(['kubelet', 'machined', 'etcd', 'kernel']));
    const du = await reader.diskUsage(CP, ['/etc/hosts']);
    expect(du[0]!.size).toBeGreaterThan(0);
  });

  it('serves Kubernetes container logs in CRI format', async () => {
    const pod = (await reader.containers(W, 'k8s.io')).find((c) => c.status === 'CONTAINER_RUNNING')!;
    const lines: string[] = [];
    await reader.logs(W, { namespace: 'k8s.io', id: pod.id, follow: false, tailLines: 3 }, (l) => lines.push(...l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (stdout|stderr) F [IWE]\d{4} /);
  });

  it('streams followed logs in 1 KiB chunks that are not aligned to lines', async () => {
    lab.setLogRate(2000, W, 'containerd');
    const sizes: number[] = [];
    const endsWithNewline: boolean[] = [];
    const abort = new AbortController();
    const done = reader.connection
      .stream(
        M.logs,
        { namespace: 'system', id: 'containerd', driver: 0, follow: true, tailLines: 0 },
        W,
        (d) => {
          sizes.push(d.bytes.length);
          endsWithNewline.push(d.bytes[d.bytes.length - 1] === 10);
          if (sizes.length > 40) abort.abort();
        },
        abort.signal,
      )
      .catch(() => undefined);
    await done;
    lab.setLogRate(50, W, 'containerd');
    expect(Math.max(...sizes)).toBe(1024);
    expect(endsWithNewline.filter((x) => !x).length).toBeGreaterThan(10);
  });

  it('reads a long log out in 1 KiB chunks, then the lines written while it went out, in order and none lost', async () => {
    const source = lab.node(W).logs.get('kubelet')!;
    const saved = { rate: source.rate, buffer: source.buffer };
    source.rate = 0;
    source.buffer = new LogBuffer(64 * 1024 * 1024);
    const old = Array.from({ length: 100_000 }, (_, i) => `old line ${i} ${'x'.repeat(i % 97)}`);
    source.buffer.append(old);
    const sizes: number[] = [];
    const chunks: Buffer[] = [];
    let end = '';
    let wroteMeanwhile = false;
    const abort = new AbortController();
    const done = reader.connection
      .stream(
        M.logs,
        { namespace: 'system', id: 'kubelet', driver: 0, follow: true, tailLines: -1 },
        W,
        (d) => {
          sizes.push(d.bytes.length);
          chunks.push(d.bytes);
          end = (end + d.bytes.toString()).slice(-100);
          // Lines written while the tail is still going out come after it, none lost.
          if (!wroteMeanwhile) {
            wroteMeanwhile = true;
            source.buffer.append(['new line 0', 'new line 1']);
          }
          if (end.endsWith('new line 1\n')) abort.abort();
        },
        abort.signal,
      )
      .catch(() => undefined);
    await done;
    source.rate = saved.rate;
    source.buffer = saved.buffer;
    expect(Buffer.concat(chunks).toString().split('\n')).toEqual([...old, 'new line 0', 'new line 1', '']);
    expect(sizes.length).toBeGreaterThan(1000);
    expect(sizes.slice(0, -2).every((n) => n === 1024)).toBe(true);
  });

  it('holds a follower that stops reading to what it took: the ring buffer laps it, it resumes at the oldest line held', async () => {
    const source = lab.node(W).logs.get('kubelet')!;
    const saved = { rate: source.rate, buffer: source.buffer };
    source.rate = 0;
    source.buffer = new LogBuffer(1_048_576);
    const raw = (reader.connection as unknown as { clients: { client: grpc.Client }[] }).clients[0]!.client;
    const md = new grpc.Metadata();
    md.set('node', W);
    const call = raw.makeServerStreamRequest(
      M.logs.path,
      M.logs.requestSerialize,
      M.logs.responseDeserialize,
      { namespace: 'system', id: 'kubelet', driver: 0, follow: true, tailLines: 0 },
      md,
      {},
    );
    let text = '';
    const lastArrived = new Promise<void>((resolve) =>
      call.on('data', (d: { bytes: Buffer }) => {
        text += d.bytes.toString();
        if (text.endsWith('last line\n')) resolve();
      }),
    );
    call.on('error', () => undefined);
    call.pause();
    const written = 200_000; // ~9 MB: nine times what the node's buffer holds
    try {
      for (let i = 0; i < written; i += 1000) {
        source.buffer.append(Array.from({ length: 1000 }, (_, j) => `followed line ${i + j}`));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      source.buffer.append(['last line']);
      call.resume();
      await lastArrived;
    } finally {
      call.cancel();
      source.rate = saved.rate;
      source.buffer = saved.buffer;
    }
    const got = text
      .split('\n')
      .slice(0, -2)
      .map((line) => Number(line.replace('followed line ', '')));
    // In order, with jumps where the writer lapped the reader (each time the client took a little); before the
    // lab waited for the client, all 200,000 lines piled up in its send queue and arrived.
    const jumps = got.filter((n, i) => i > 0 && n !== got[i - 1]! + 1);
    expect(got.every((n, i) => i === 0 || n > got[i - 1]!)).toBe(true);
    expect(jumps.length).toBeGreaterThan(0);
    expect(got.at(-1)).toBe(written - 1);
    expect(got.length).toBeLessThan(written / 2);
  });

  it('watches a resource kind: ready signal skipped, bootstrap, BOOTSTRAPPED, then updates', async () => {
    const events: string[] = [];
    const abort = new AbortController();
    const watching = reader
      .watchResources(
        CP,
        { namespace: 'runtime', type: 'Services.v1alpha1.talos.dev' },
        (e) => {
          events.push(`${e.kind}:${e.resource?.id ?? ''}`);
          if (e.kind === 'updated' && e.resource?.id === 'kubelet' && (e.resource.spec as { running: boolean }).running) abort.abort();
        },
        abort.signal,
      )
      .catch(() => undefined);
    await expect.poll(() => events.includes('bootstrapped:')).toBe(true);
    expect(events.filter((e) => e.startsWith('created:')).length).toBe(12);
    await admin.serviceAction(CP, 'kubelet', 'restart');
    await watching;
    expect(events).toContain('updated:kubelet');
  });

  it('reboots: events with the actor id, node unreachable, new boot id, back to running', async () => {
    const bootId = (await admin.read(W, '/proc/sys/kernel/random/boot_id')).toString().trim();
    const seen: string[] = [];
    const abort = new AbortController();
    const watching = admin.events(W, { tailEvents: 0 }, (e) => seen.push(`${e.type}:${e.actorId}`), abort.signal).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    const actorId = await admin.reboot(W);
    expect(actorId).toMatch(/^[0-9a-f-]{36}$/);
    const error = await watching;
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(seen).toContain(`SequenceEvent:${actorId}`);
    expect(seen).toContain(`PhaseEvent:${actorId}`);
    expect(seen).toContain(`TaskEvent:${actorId}`);
    // As on Talos, MachineStatusEvents carry no actor id (talosctl matches the sequence events).
    expect(seen).toContain('MachineStatusEvent:');
    expect(seen).not.toContain(`MachineStatusEvent:${actorId}`);
    await expect(reader.version(W)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect
      .poll(async () => (await admin.read(W, '/proc/sys/kernel/random/boot_id').catch(() => Buffer.from(bootId))).toString().trim(), {
        timeout: 5000,
      })
      .not.toBe(bootId);
    expect((await reader.version(W)).tag).toBe('v1.13.9');
    // apid answers before the boot sequence ends; until it does, Talos refuses another sequence (LOCKED).
    await expect.poll(async () => (await reader.evidence.machineStatus(W).catch(() => null))?.stage, { timeout: 15_000 }).toBe('running');
    abort.abort();
  });

  it('upgrades to the image tag and refuses a reader', async () => {
    await expect(reader.upgrade(W, 'ghcr.io/siderolabs/installer:v1.13.10')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const { ack } = await admin.upgrade(W, 'ghcr.io/siderolabs/installer:v1.13.10');
    expect(ack).toBe('Upgrade request received');
    await expect.poll(async () => (await reader.version(W).catch(() => ({ tag: '' }))).tag, { timeout: 30_000 }).toBe('v1.13.10');
  });

  it('holds the apply lock and applies a staged config to the persistent copy only', async () => {
    const mc = await admin.getResource(CP, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1');
    const next = String(mc.spec).replace('persist: true', 'persist: true\n# staged');
    const result = await admin.applyConfiguration(CP, { data: next, mode: 'staged', dryRun: false });
    expect(result.modeDetails).toBe('Staged configuration to be applied after the next reboot');
    const persistent = await admin.getResource(CP, 'config', 'MachineConfigs.config.talos.dev', 'persistent');
    const active = await admin.getResource(CP, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1');
    expect(String(persistent.spec)).toContain('# staged');
    expect(String(active.spec)).not.toContain('# staged');
    lab.node(CP).applyInProgress = true;
    await expect(admin.applyConfiguration(CP, { data: next, mode: 'auto', dryRun: true })).rejects.toThrow(
      /another apply configuration is already in progress/,
    );
    lab.node(CP).applyInProgress = false;
  });

  it('shuts a node down for good', async () => {
    const actorId = await admin.shutdown(W);
    expect(actorId).toBeTruthy();
    await expect
      .poll(
        async () =>
          await reader.version(W).then(
            () => 'up',
            (e: { code: string }) => e.code,
          ),
        { timeout: 4000 },
      )
      .toBe('UNAVAILABLE');
  });
});
