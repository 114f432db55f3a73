import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueClientCert } from '../../certs/pki';
import { x509 } from '../../certs/x509-provider';
import { startLab, type Lab } from '../../lab/cluster';
import { MachineServiceService } from '../../proto/gen/machine/machine';
import { Empty } from '../../proto/gen/google/protobuf/empty';
import { fanOut } from '../../electron/talos/fan-out';
import type { TalosClient } from '../../electron/talos/client';
import { labClient, mintedClient } from '../helpers/lab-identity';

let lab: Lab;
let admin: TalosClient;
let operator: TalosClient;
let reader: TalosClient;
const CP = '10.5.0.2';
const W1 = '10.5.0.3';

beforeAll(async () => {
  lab = await startLab({ nodes: 3, controlPlanes: 1, seed: 7, logRate: 200 });
  admin = labClient(lab, 'admin');
  operator = labClient(lab, 'operator');
  reader = labClient(lab, 'reader');
});

afterAll(async () => {
  for (const c of [admin, operator, reader]) c.close();
  await lab.stop();
});

describe('practice cluster through the Talos client over mTLS', () => {
  it('answers Version and Hostname per node, routed by the node key', async () => {
    expect((await reader.version(W1)).tag).toBe('v1.13.9');
    expect(await reader.hostname(CP)).toBe('lab-controlplane-1');
    expect(await reader.hostname(W1)).toBe('lab-worker-1');
  });

  it('lists services with Talos states and health; control planes run etcd and trustd', async () => {
    const cp = await reader.services(CP);
    const worker = await reader.services(W1);
    expect(cp.map((s) => s.id)).toEqual(expect.arrayContaining(['apid', 'etcd', 'trustd', 'kubelet', 'machined']));
    expect(worker.map((s) => s.id)).not.toContain('etcd');
    expect(cp.find((s) => s.id === 'dashboard')?.health).toBe('unknown');
    expect(cp.find((s) => s.id === 'kubelet')?.lastEvent).toBe('Health check successful');
  });

  it('enforces RBAC: reader may not restart or Read, operator may restart kubelet, admin reads MachineConfigs', async () => {
    await expect(reader.serviceAction(W1, 'kubelet', 'restart')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(reader.read(CP, '/etc/hosts')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(operator.getResource(CP, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(await operator.serviceAction(W1, 'kubelet', 'restart')).toBe('Service "kubelet" restarted');
    const mc = await admin.getResource(CP, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1');
    expect(mc.annotations['talos.dev/yaml-spec']).toBe('1');
    expect(typeof mc.spec).toBe('string');
    expect(String(mc.spec)).toContain('type: controlplane');
    expect((await admin.read(CP, '/etc/hostname')).toString()).toBe('lab-controlplane-1\n');
  });

  it('stops and starts an extension service, which Talos allows', async () => {
    expect(await operator.serviceAction(W1, 'ext-iscsid', 'stop')).toBe('Service "ext-iscsid" stopped');
    await expect
      .poll(async () => (await reader.services(W1)).find((s) => s.id === 'ext-iscsid')?.state, { timeout: 5000 })
      .toBe('Finished');
    expect(await operator.serviceAction(W1, 'ext-iscsid', 'start')).toBe('Service "ext-iscsid" started');
    await expect.poll(async () => (await reader.services(W1)).find((s) => s.id === 'ext-iscsid')?.state, { timeout: 5000 }).toBe('Running');
    await expect(operator.serviceAction(W1, 'nope', 'start')).rejects.toThrow(/service "nope" not defined/);
  });

  it("refuses services Talos does not let the API control, with Talos' message", async () => {
    await expect(operator.serviceAction(CP, 'etcd', 'restart')).rejects.toThrow(/service "etcd" doesn't support restart operation via API/);
    await expect(operator.serviceAction(CP, 'kubelet', 'stop')).rejects.toThrow(/doesn't support stop/);
  });

  it('restarting kubelet emits ServiceStateEvents from Stopping through Running', async () => {
    const states: string[] = [];
    const abort = new AbortController();
    const done = admin
      .events(
        CP,
        { tailEvents: 0 },
        (e) => {
          if (e.type === 'ServiceStateEvent' && (e.data as { service: string }).service === 'kubelet')
            states.push(String((e.data as { state: string }).state));
          if (states.includes('Running') && states.includes('Stopping')) abort.abort();
        },
        abort.signal,
      )
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    await admin.serviceAction(CP, 'kubelet', 'restart');
    await done;
    expect(states[0]).toBe('Stopping');
    expect(states).toContain('Running');
  });

  it('implements tail semantics: -1 all, 0 none, N the last N; chunks are at most 1 KiB', async () => {
    const collect = async (tailLines: number) => {
      const lines: string[] = [];
      await reader.logs(CP, { namespace: 'system', id: 'kubelet', follow: false, tailLines }, (l) => lines.push(...l));
      return lines;
    };
    expect(await collect(0)).toEqual([]);
    const five = await collect(5);
    expect(five).toHaveLength(5);
    expect(JSON.parse(five[0]!)).toHaveProperty('ts');
    expect((await collect(-1)).length).toBeGreaterThan(5);
    const sizes: number[] = [];
    await reader.connection.stream(
      MachineServiceService.logs,
      { namespace: 'system', id: 'kubelet', driver: 0, follow: false, tailLines: 200 },
      CP,
      (d) => sizes.push(d.bytes.length),
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
    expect(sizes.filter((s) => s === 1024).length).toBeGreaterThan(1);
  });

  it('follows a log and reports an unknown log id like Talos', async () => {
    const abort = new AbortController();
    const lines: string[] = [];
    const following = reader
      .logs(
        W1,
        { namespace: 'system', id: 'kubelet', follow: true, tailLines: 0 },
        (l) => {
          lines.push(...l);
          if (lines.length >= 20) abort.abort();
        },
        abort.signal,
      )
      .catch(() => undefined);
    await following;
    expect(lines.length).toBeGreaterThanOrEqual(20);
    await expect(reader.logs(W1, { namespace: 'system', id: 'nope', follow: false, tailLines: 1 }, () => undefined)).rejects.toThrow(
      /log "nope" was not registered/,
    );
  });

  it('aggregates legacy multi-value `nodes` replies with per-node metadata and errors', async () => {
    const client = reader.connection as unknown as { clients: { client: grpc.Client }[] };
    const raw = client.clients[0]!.client;
    const md = new grpc.Metadata();
    for (const n of [CP, W1, '10.5.0.77']) md.add('nodes', n);
    const response = await new Promise<{ messages: { metadata?: { hostname: string; error: string } }[] }>((resolve, reject) =>
      raw.makeUnaryRequest(
        MachineServiceService.version.path,
        MachineServiceService.version.requestSerialize,
        MachineServiceService.version.responseDeserialize,
        Empty.fromPartial({}),
        md,
        (e, v) => (e ? reject(e) : resolve(v!)),
      ),
    );
    const byHost = Object.fromEntries(response.messages.map((m) => [m.metadata?.hostname, m.metadata?.error]));
    expect(byHost[CP]).toBe('');
    expect(byHost[W1]).toBe('');
    expect(byHost['10.5.0.77']).toMatch(/no route to host/);
  });

  it('tags legacy `nodes` stream messages with their node and adds one error message for a failed node', async () => {
    const raw = (reader.connection as unknown as { clients: { client: grpc.Client }[] }).clients[0]!.client;
    const md = new grpc.Metadata();
    for (const n of [CP, '10.5.0.77']) md.add('nodes', n);
    const messages: { metadata?: { hostname: string; error: string }; bytes: Buffer }[] = [];
    await new Promise<void>((resolve, reject) => {
      const call = raw.makeServerStreamRequest(
        MachineServiceService.logs.path,
        MachineServiceService.logs.requestSerialize,
        MachineServiceService.logs.responseDeserialize,
        { namespace: 'system', id: 'machined', driver: 0, follow: false, tailLines: 3 },
        md,
        {},
      );
      call.on('data', (m: (typeof messages)[number]) => messages.push(m));
      call.on('error', reject);
      call.on('end', () => resolve());
    });
    expect(messages.filter((m) => m.metadata?.hostname === CP && m.bytes.length > 0).length).toBeGreaterThan(0);
    const failed = messages.filter((m) => m.metadata?.hostname === '10.5.0.77');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.metadata!.error).toMatch(/no route to host/);
  });

  it('fills complete messages for failed nodes in legacy `nodes` replies of any type', async () => {
    const raw = (reader.connection as unknown as { clients: { client: grpc.Client }[] }).clients[0]!.client;
    const md = new grpc.Metadata();
    for (const n of [CP, '10.5.0.77']) md.add('nodes', n);
    const d = MachineServiceService.serviceList;
    const response = await new Promise<{ messages: { metadata?: { hostname: string; error: string }; services: unknown[] }[] }>(
      (resolve, reject) =>
        raw.makeUnaryRequest(d.path, d.requestSerialize, d.responseDeserialize, Empty.fromPartial({}), md, (e, v) =>
          e ? reject(e) : resolve(v!),
        ),
    );
    expect(response.messages.find((m) => m.metadata?.hostname === CP)?.services.length).toBeGreaterThan(5);
    expect(response.messages.find((m) => m.metadata?.hostname === '10.5.0.77')).toMatchObject({
      services: [],
      metadata: { error: expect.stringMatching(/no route to host/) },
    });
  });

  it('resolves aliases through ResourceDefinitions', async () => {
    expect((await reader.resolveKind(CP, 'members')).type).toBe('Members.cluster.talos.dev');
    expect((await reader.resolveKind(CP, 'svc')).type).toBe('Services.v1alpha1.talos.dev');
    expect((await reader.resolveKind(CP, 'mc')).type).toBe('MachineConfigs.config.talos.dev');
    const members = await reader.listResources(CP, 'cluster', 'Members.cluster.talos.dev');
    expect(members.map((m) => m.id).sort()).toEqual(['lab-controlplane-1', 'lab-worker-1', 'lab-worker-2']);
  });

  it('fans out with one unreachable node: the others answer, that one has its own error', async () => {
    lab.setUnreachable('10.5.0.4', true);
    try {
      const results = await fanOut([CP, W1, '10.5.0.4'], (n) => reader.version(n));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      const failed = results.find((r) => !r.ok);
      expect(failed).toMatchObject({ node: '10.5.0.4', ok: false, error: { code: 'UNAVAILABLE' } });
    } finally {
      lab.setUnreachable('10.5.0.4', false);
    }
  });

  it('works with ECDSA P-256 and RSA client identities', async () => {
    for (const keyType of ['ecdsa', 'rsa'] as const) {
      const client = mintedClient(lab, await lab.issueClient(['os:reader'], { keyType }), ['os:reader']);
      try {
        expect((await client.version(CP)).tag).toBe('v1.13.9');
      } finally {
        client.close();
      }
    }
  });

  it('refuses certificates from another CA, expired ones and ones without exactly clientAuth, each with its own error', async () => {
    const cases: [string, Promise<import('../../certs/pki').Minted>, string, RegExp][] = [
      ['foreign CA', createCa().then((ca) => issueClientCert(ca, ['os:admin'])), 'TLS_CERT_REJECTED', /another cluster's CA/],
      [
        'expired',
        lab.issueClient(['os:admin'], { notBefore: new Date(Date.now() - 10 * 864e5), notAfter: new Date(Date.now() - 864e5) }),
        'TLS_CERT_EXPIRED',
        /expired on/,
      ],
      [
        'clientAuth+serverAuth',
        lab.issueClient(['os:admin'], { extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth] }),
        'TLS_CERT_REJECTED',
        /clientAuth, serverAuth/,
      ],
    ];
    for (const [label, minted, code, message] of cases) {
      const client = mintedClient(lab, await minted, ['os:admin']);
      try {
        await expect(client.version(CP), label).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      } finally {
        client.close();
      }
    }
    expect(lab.refusedConnections.some((r) => r.includes('client auth extended key usage'))).toBe(true);
  });

  it('maps a slow node to DEADLINE_EXCEEDED and a missing file to NOT_FOUND', async () => {
    lab.setDelay(W1, 2000);
    try {
      await expect(
        reader.connection.unary(MachineServiceService.version, Empty.fromPartial({}), W1, { timeoutMs: 300 }),
      ).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    } finally {
      lab.setDelay(W1, 0);
    }
    await expect(admin.read(CP, '/no/such/file')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no such file'),
    });
    await expect(admin.getResource(CP, 'network', 'HostnameStatuses.net.talos.dev', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('maps a server certificate that does not name the endpoint to TLS_NAME_MISMATCH', async () => {
    const other = await startLab({ host: '127.0.0.2', nodes: 1 });
    const client = mintedClient(other, await other.issueClient(['os:admin']), ['os:admin'], other.ca.certPem, [other.endpoint]);
    try {
      await expect(client.version('10.5.0.2')).rejects.toMatchObject({ code: 'TLS_NAME_MISMATCH' });
    } finally {
      client.close();
      await other.stop();
    }
  });

  it('fails over to the next endpoint when the first cannot be reached', async () => {
    const client = mintedClient(lab, await lab.issueClient(['os:reader']), ['os:reader'], lab.ca.certPem, ['127.0.0.1:1', lab.endpoint]);
    try {
      expect((await client.version(CP)).tag).toBe('v1.13.9');
    } finally {
      client.close();
    }
  });

  it('maps an unknown server CA to TLS_UNKNOWN_CA', async () => {
    const otherCa = await createCa();
    const client = mintedClient(lab, await lab.issueClient(['os:admin']), ['os:admin'], otherCa.certPem);
    await expect(client.version(CP)).rejects.toMatchObject({ code: 'TLS_UNKNOWN_CA' });
    client.close();
  });

  it('returns Talos errors for control-plane-only APIs and etcd data on control planes', async () => {
    await expect(reader.etcdMembers(W1)).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
    const members = await reader.etcdMembers(CP);
    expect(members).toHaveLength(1);
    expect((await reader.etcdStatus(CP))?.dbSize).toBeDefined();
  });

  it('does an ApplyConfiguration dry run with a unified diff', async () => {
    const mc = await admin.getResource(CP, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1');
    const body = String(mc.spec).replace('v1.36.3', 'v1.36.4');
    const result = await admin.applyConfiguration(CP, { data: body, mode: 'auto', dryRun: true });
    expect(result.modeDetails).toMatch(
      /^Dry run summary:\nApplied configuration without a reboot \(skipped in dry-run\)\.\nConfig diff:\n\n--- a\n\+\+\+ b\n@@/,
    );
    await expect(admin.applyConfiguration(CP, { data: 'not: [valid', mode: 'auto', dryRun: true })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(operator.applyConfiguration(CP, { data: body, mode: 'auto', dryRun: true })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });
});

describe('fan-out to ten nodes', () => {
  it('returns nine results and one clear error when one node is unreachable', async () => {
    const big = await startLab({ nodes: 10, seed: 9 });
    const client = labClient(big, 'reader');
    try {
      big.setUnreachable('10.5.0.7', true);
      const results = await fanOut(
        big.nodes.map((n) => n.id.ip),
        (n) => client.version(n),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(9);
      const failed = results.filter((r) => !r.ok);
      expect(failed).toEqual([
        { node: '10.5.0.7', ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('10.5.0.7 is unreachable') } },
      ]);
    } finally {
      client.close();
      await big.stop();
    }
  });
});

describe('seeded clusters', () => {
  it('gives the same cluster for the same seed', async () => {
    const a = await startLab({ seed: 42, nodes: 2 });
    const b = await startLab({ seed: 42, nodes: 2 });
    try {
      const shape = (l: Lab) =>
        l.nodes.map((n) => [n.id.hostname, n.machineId, n.bootId, [...n.services.values()].map((s) => s.pid).join(',')]);
      expect(shape(a)).toEqual(shape(b));
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
