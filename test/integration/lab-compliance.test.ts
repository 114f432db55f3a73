import * as grpc from '@grpc/grpc-js';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { refreshCompliance } from '../../lab/model/compliance-resources';
import { profileOf } from '../../lab/model/node-profile';
import { timings } from '../../lab/server/lifecycle';
import { pullTimings } from '../../lab/server/image-service';
import { ImageServiceService } from '../../proto/gen/machine/image';
import { KSPP_CMDLINE, KSPP_SYSCTLS } from '../../shared/talos-kspp';
import type { TalosClient } from '../../electron/talos/client';
import { labClient } from '../helpers/lab-identity';

let lab: Lab;
let admin: TalosClient;
let operator: TalosClient;
let reader: TalosClient;
const CP1 = '10.5.0.2';
const CP2 = '10.5.0.3';
const W = '10.5.0.4';

beforeAll(async () => {
  timings.rebootDowntimeMs = 400;
  timings.stepMs = 30;
  pullTimings.stepMs = 5;
  lab = await startLab({ nodes: 3, controlPlanes: 2, seed: 5, logRate: 5 });
  admin = labClient(lab, 'admin');
  operator = labClient(lab, 'operator');
  reader = labClient(lab, 'reader');
});
afterAll(async () => {
  for (const c of [admin, operator, reader]) c.close();
  await lab.stop();
});

function withSysctls(config: string, sysctls: Record<string, string> | null): string {
  const docs = parseAllDocuments(config);
  if (sysctls) docs[0]!.setIn(['machine', 'sysctls'], sysctls);
  else docs[0]!.deleteIn(['machine', 'sysctls']);
  return docs.map((d) => d.toString({ indent: 4, lineWidth: 0 }).replace(/^---\n/, '')).join('---\n');
}

async function rawStream<Res>(
  client: TalosClient,
  def: { path: string; requestSerialize(v: never): Buffer; responseDeserialize(b: Buffer): Res },
  request: unknown,
  md: grpc.Metadata,
) {
  const raw = (client.connection as unknown as { clients: { client: grpc.Client }[] }).clients[0]!.client;
  const out: Res[] = [];
  await new Promise<void>((resolve, reject) => {
    const call = raw.makeServerStreamRequest(
      def.path,
      def.requestSerialize as (v: unknown) => Buffer,
      def.responseDeserialize,
      request,
      md,
      {},
    );
    call.on('data', (m: Res) => out.push(m));
    call.on('error', reject);
    call.on('end', () => resolve());
  });
  return out;
}

describe('compliance resources', () => {
  it("reports each node's SecurityState as Talos marshals it, disabled states omitted", async () => {
    for (const node of lab.nodes) {
      const p = profileOf(node);
      const state = await reader.compliance.securityState(node.id.ip);
      expect(state).toMatchObject({
        secureBoot: p.secureBoot,
        bootedWithUKI: p.bootedWithUKI,
        selinux: p.selinux,
        moduleSignatureEnforced: p.moduleSignatureEnforced,
        ukiSigningKeyFingerprint: null,
      });
      expect(state!.pcrSigningKeyFingerprint).toBe(p.pcrSigningKeyFingerprint || null);
      const raw = await reader.getResource(node.id.ip, 'runtime', 'SecurityStates.talos.dev', 'securitystate');
      if (p.selinux === 'disabled') expect(raw.yaml).not.toMatch(/selinuxState/);
      else expect(raw.yaml).toContain(`selinuxState: enabled, ${p.selinux}`);
      if (p.fips === 'disabled') expect(raw.yaml).not.toMatch(/fipsState/);
      if (p.pcrSigningKeyFingerprint) expect(p.pcrSigningKeyFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    }
  });

  it('follows a changed profile (Secure Boot, FIPS strict) after refreshCompliance', async () => {
    const node = lab.node(W);
    const p = profileOf(node);
    const before = { ...p };
    Object.assign(p, { secureBoot: true, bootedWithUKI: true, fips: 'strict', selinux: 'enforcing', moduleSignatureEnforced: true });
    refreshCompliance(node);
    try {
      expect(await reader.compliance.securityState(W)).toMatchObject({
        secureBoot: true,
        fips: 'strict',
        fipsState: 'enabled, strict',
        selinux: 'enforcing',
        selinuxState: 'enabled, enforcing',
      });
      expect(await reader.compliance.kernelCmdline(W)).toMatch(/ module\.sig_enforce=1/);
    } finally {
      Object.assign(p, before);
      refreshCompliance(node);
    }
  });

  it('lists extensions with the Image Factory schematic marker last', async () => {
    const extensions = await reader.compliance.extensions(CP1);
    const p = profileOf(lab.node(CP1));
    expect(extensions.filter((e) => !e.isSchematic).map((e) => e.name)).toEqual(p.extensions.map((e) => e.name));
    const iscsi = extensions.find((e) => e.name === 'iscsi-tools')!;
    expect(iscsi).toMatchObject({
      id: '000.ghcr.io-siderolabs-iscsi-tools-v0.2.0',
      image: '000.ghcr.io-siderolabs-iscsi-tools-v0.2.0.sqsh',
      version: 'v0.2.0',
    });
    const schematic = extensions[extensions.length - 1]!;
    expect(schematic).toMatchObject({ isSchematic: true, name: 'schematic', version: p.schematicId, id: String(p.extensions.length) });
    expect(schematic.version).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets the seed make one node drift from the cluster baseline', async () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const l = await startLab({ nodes: 3, seed, logRate: 0 });
      const profiles = l.nodes.map((n) => JSON.stringify(profileOf(n)));
      if (new Set(profiles).size > 1) seen.add(`drift@${seed}`);
      seen.add(`secureBoot=${profileOf(l.nodes[0]!).secureBoot}`);
      await l.stop();
    }
    expect(seen).toContain('secureBoot=true');
    expect(seen).toContain('secureBoot=false');
    expect([...seen].filter((s) => s.startsWith('drift')).length).toBeGreaterThan(3);
  });

  it('reports every KSPP sysctl with its expected value and the Talos defaults', async () => {
    const params = await reader.compliance.kernelParams(W);
    const byKey = new Map(params.map((p) => [p.key, p]));
    for (const [key, expected] of Object.entries(KSPP_SYSCTLS)) {
      expect(byKey.get(key), key).toMatchObject({ id: `proc.sys.${key}`, kind: 'sysctl', current: expected, unsupported: false });
    }
    expect(byKey.get('kernel.kptr_restrict')!.default).toBe('1');
    expect(byKey.get('net.ipv4.ip_local_reserved_ports')!.current).toBe('50000,50001');
    expect(byKey.get('vm.overcommit_memory')!.current).toBe('1');
  });

  it('follows machine.sysctls from an applied config (config wins over KSPP), and drops keys the config no longer sets', async () => {
    const config = lab.node(W).config.active;
    await admin.applyConfiguration(W, {
      data: withSysctls(config, { 'kernel.kptr_restrict': '1', 'net.core.somaxconn': '65535' }),
      mode: 'no-reboot',
      dryRun: false,
    });
    let byKey = new Map((await reader.compliance.kernelParams(W)).map((p) => [p.key, p]));
    expect(byKey.get('kernel.kptr_restrict')).toMatchObject({ current: '1', default: '1' });
    expect(byKey.get('net.core.somaxconn')).toMatchObject({ current: '65535' });
    await admin.applyConfiguration(W, { data: withSysctls(config, null), mode: 'no-reboot', dryRun: false });
    byKey = new Map((await reader.compliance.kernelParams(W)).map((p) => [p.key, p]));
    expect(byKey.get('kernel.kptr_restrict')!.current).toBe('2');
    expect(byKey.has('net.core.somaxconn')).toBe(false);
  });

  it('reports the kernel command line with the KSPP arguments, the same as /proc/cmdline', async () => {
    const cmdline = await reader.compliance.kernelCmdline(CP2);
    for (const arg of KSPP_CMDLINE) expect(cmdline!.split(' ')).toContain(arg);
    expect((await admin.read(CP2, '/proc/cmdline')).toString()).toBe(`${cmdline}\n`);
  });

  it('serves SBOM items for Talos and its extensions, and follows an upgrade', async () => {
    const items = await reader.compliance.sbom(W);
    const talos = items.find((i) => i.name === 'Talos')!;
    expect(talos).toMatchObject({ version: 'v1.13.9', license: 'MPL-2.0', extension: false });
    expect(talos.cpes[0]).toBe('cpe:2.3:o:siderolabs:talos:1.13.9:*:*:*:*:*:*:*');
    expect(items.find((i) => i.name === 'linux')).toMatchObject({ version: '6.18.44', license: 'GPL-2.0-only' });
    expect(items.find((i) => i.name === 'cel.dev/expr')).toMatchObject({ purls: ['pkg:golang/cel.dev/expr@v0.24.0'], cpes: [] });
    expect(items.find((i) => i.name === 'github.com/siderolabs/gen')!.license).toBeNull();
    expect(items.filter((i) => i.extension).map((i) => i.name)).toEqual(expect.arrayContaining(['open-iscsi', 'util-linux']));
    expect(await reader.compliance.installedVersion(W)).toBe('v1.13.9');

    await admin.upgrade(W, 'ghcr.io/siderolabs/installer:v1.14.0');
    await expect.poll(async () => reader.compliance.installedVersion(W).catch(() => null), { timeout: 10_000 }).toBe('v1.14.0');
    const after = await reader.compliance.sbom(W);
    expect(after.find((i) => i.name === 'Talos')!.version).toBe('v1.14.0');
    expect(after.find((i) => i.name === 'linux')!.version).toBe('6.18.45');
  });

  it('names an unknown resource type as unsupported, not as a missing role', async () => {
    await expect(reader.listResources(CP1, 'runtime', 'NoSuchThings.talos.dev')).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
  });
});

describe('Netstat', () => {
  it('lists the real listeners of a control plane, with processes and pids from Processes', async () => {
    const sockets = await reader.network.netstat(CP1, { filter: 'listening' });
    const tcpPorts = sockets.filter((s) => s.proto.startsWith('tcp')).map((s) => s.localPort);
    for (const port of [50000, 50001, 2379, 2380, 6443, 10250, 7445]) expect(tcpPorts).toContain(port);
    expect(tcpPorts).not.toContain(22);
    expect(sockets.every((s) => s.listening && s.netns === '')).toBe(true);
    const apid = sockets.find((s) => s.localPort === 50000)!;
    expect(apid).toMatchObject({ proto: 'tcp6', localIp: '::', remoteIp: '::', remotePort: 0, state: 'LISTEN', process: 'apid', uid: 50 });
    const pids = new Map((await reader.processes(CP1)).map((p) => [p.command, p.pid]));
    expect(apid.pid).toBe(pids.get('apid'));
    expect(sockets.find((s) => s.localPort === 2379)).toMatchObject({ process: 'etcd', uid: 60, pid: pids.get('etcd') });
    const dns = sockets.find((s) => s.proto === 'udp' && s.localPort === 53)!;
    expect(dns).toMatchObject({ localIp: '127.0.0.53', state: 'CLOSE', listening: true });
  });

  it('has no etcd, API server or trustd on a worker', async () => {
    const ports = (await reader.network.netstat(W, { filter: 'listening' })).map((s) => s.localPort);
    expect(ports).toEqual(expect.arrayContaining([50000, 10250]));
    for (const port of [2379, 2380, 6443, 50001]) expect(ports).not.toContain(port);
  });

  it('shows the connections a cluster keeps: etcd peers, workers to the API server, the workstation to apid', async () => {
    const connected = await reader.network.netstat(CP1, { filter: 'connected' });
    expect(connected.every((s) => !s.listening)).toBe(true);
    expect(connected.some((s) => s.localPort === 2380 && s.remoteIp === CP2 && s.state === 'ESTABLISHED')).toBe(true);
    expect(connected.some((s) => s.remoteIp === CP2 && s.remotePort === 2380)).toBe(true);
    expect(connected.some((s) => s.localPort === 6443 && s.remoteIp === W && s.process === 'kube-apiserver')).toBe(true);
    expect(connected.some((s) => s.localPort === 50000 && s.remoteIp === '10.5.0.1')).toBe(true);
    const timeWait = connected.find((s) => s.state === 'TIME_WAIT')!;
    expect(timeWait).toMatchObject({ localPort: 50001, pid: null, process: null, inode: 0 });
    const worker = await reader.network.netstat(W, { filter: 'connected' });
    expect(worker.some((s) => s.remoteIp === CP1 && s.remotePort === 6443 && s.process === 'machined')).toBe(true);
  });

  it('honours l4proto, pid and netns semantics', async () => {
    expect(await reader.network.netstat(CP1, { protocols: [] })).toEqual([]);
    expect(await reader.network.netstat(CP1, { hostNetwork: false })).toEqual([]);
    const udpOnly = await reader.network.netstat(CP1, { protocols: ['udp'], filter: 'all' });
    expect(udpOnly.length).toBeGreaterThan(0);
    expect(udpOnly.every((s) => s.proto === 'udp')).toBe(true);
    const noPids = await reader.network.netstat(CP1, { withProcesses: false, filter: 'all' });
    expect(noPids.every((s) => s.pid === null && s.process === null)).toBe(true);

    const pods = await reader.network.netstat(CP1, { hostNetwork: false, allNamespaces: true, filter: 'listening' });
    expect(pods.length).toBeGreaterThan(0);
    expect(new Set(pods.map((s) => s.process))).toEqual(new Set(['coredns']));
    const sandbox = (await reader.containers(CP1, 'k8s.io')).find((c) => c.id.startsWith('kube-system/coredns-') && !c.id.includes(':'))!;
    const netns = sandbox.networkNamespace.slice(sandbox.networkNamespace.lastIndexOf('/') + 1);
    expect(pods.every((s) => s.netns === netns)).toBe(true);
    expect((await reader.network.netstat(CP1, { hostNetwork: false, namespaces: [netns], filter: 'listening' })).length).toBe(pods.length);
    expect((await reader.network.netstat(W, { hostNetwork: false, allNamespaces: true })).length).toBe(0);
    await expect(reader.network.netstat(CP1, { namespaces: ['cni-nope'] })).rejects.toThrow(/\/var\/run\/netns\/cni-nope: no such file/);
  });
});

describe('ImageService', () => {
  it('lists CRI images by tag and by digest, the pinned pause image, and the system store', async () => {
    const cri = await reader.images.list(W, 'cri');
    const pause = cri.filter((i) => i.name.startsWith('registry.k8s.io/pause'));
    expect(pause.map((i) => i.name)).toEqual(['registry.k8s.io/pause:3.10', `registry.k8s.io/pause@${pause[0]!.digest}`]);
    expect(pause[0]!.labels).toMatchObject({ 'io.cri-containerd.pinned': 'pinned' });
    expect(pause[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cri.some((i) => i.name === 'registry.k8s.io/kube-proxy:v1.36.3')).toBe(true);
    expect(cri.some((i) => i.name.startsWith('registry.k8s.io/kube-apiserver'))).toBe(false);
    expect((await reader.images.list(CP1, 'cri')).some((i) => i.name === 'registry.k8s.io/kube-apiserver:v1.36.3')).toBe(true);
    expect((await reader.images.list(CP1, 'system')).map((i) => i.name)).toContain('registry.k8s.io/etcd:v3.6.12');
    expect(await reader.images.list(CP1, 'inmem')).toEqual([]);
  });

  it('pulls with layer progress, then lists the image; a second pull finds every layer present', async () => {
    const progress: string[] = [];
    const name = await operator.images.pull(W, 'cri', 'nginx:1.27', (p) => progress.push(p.status));
    expect(name).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(progress).toEqual(expect.arrayContaining(['downloading', 'download-complete', 'extracting', 'extract-complete']));
    expect((await reader.images.list(W, 'cri')).map((i) => i.name)).toContain('docker.io/library/nginx:1.27');
    const again: string[] = [];
    await operator.images.pull(W, 'cri', 'docker.io/library/nginx:1.27', (p) => again.push(p.status));
    expect(new Set(again)).toEqual(new Set(['already-exists']));
  });

  it('refuses a reader, a bad reference, an unknown image and an unset namespace', async () => {
    await expect(reader.images.pull(W, 'cri', 'nginx:1.27')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(operator.images.pull(W, 'cri', 'Not A Ref')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(operator.images.pull(W, 'cri', 'registry.example.invalid/app:1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      reader.connection.stream(ImageServiceService.list, { containerd: { driver: 1, namespace: 0 } }, W, () => undefined),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      reader.connection.stream(ImageServiceService.list, { containerd: { driver: 0, namespace: 2 } }, W, () => undefined),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('is not proxied one-to-many (apid allows `nodes` only for five service prefixes)', async () => {
    const md = new grpc.Metadata();
    md.add('nodes', CP1);
    md.add('nodes', W);
    await expect(
      rawStream(reader, ImageServiceService.list as never, { containerd: { driver: 1, namespace: 2 } }, md),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: 'one-2-many proxying is not supported for method /machine.ImageService/List',
    });
  });
});
