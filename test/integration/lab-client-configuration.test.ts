import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { GenerateClientConfigurationRequest } from '../../proto/gen/machine/machine';
import { TalosClient } from '../../electron/talos/client';
import type { MintedClientConfiguration } from '../../electron/talos/calls/client-configuration';
import { talosctl } from '../../shared/talosctl';
import { labClient } from '../helpers/lab-identity';

let lab: Lab;
let admin: TalosClient;
let operator: TalosClient;
const CP = '10.5.0.2';
const W = '10.5.0.3';
const open: TalosClient[] = [];

function connect(minted: MintedClientConfiguration): TalosClient {
  const { identity } = minted;
  const client = TalosClient.open({
    context: identity.context,
    endpoints: [lab.endpoint],
    roles: identity.roles,
    caPem: identity.caPem,
    certPem: identity.certPem,
    keyPem: Buffer.from(identity.keyPem),
  });
  open.push(client);
  return client;
}

beforeAll(async () => {
  lab = await startLab({ nodes: 2, seed: 5 });
  admin = labClient(lab, 'admin');
  operator = labClient(lab, 'operator');
});
afterAll(async () => {
  for (const c of [admin, operator, ...open]) c.close();
  await lab.stop();
});

describe('GenerateClientConfiguration', () => {
  it('encodes roles as field 1 and crt_ttl as field 2 (google.protobuf.Duration seconds = 1)', () => {
    const bytes = Buffer.from(
      GenerateClientConfigurationRequest.encode({ roles: ['os:reader'], crtTtl: { seconds: '3600', nanos: 0 } }).finish(),
    );
    expect(bytes.toString('hex')).toBe('0a' + '09' + Buffer.from('os:reader').toString('hex') + '12' + '03' + '08' + '901c');
  });

  it('mints a reader with a 1 h certificate from the OS CA that the node accepts with exactly that role', async () => {
    const minted = await admin.generateClientConfiguration(CP, { roles: ['os:reader'], ttlSeconds: 3600 });
    expect(minted.context).toBe('reader@lab');
    const file = parse(minted.talosconfig) as { context: string; contexts: Record<string, Record<string, unknown>> };
    expect(file.context).toBe('reader@lab');
    expect(Object.keys(file.contexts)).toEqual(['reader@lab']);
    expect(file.contexts['reader@lab']!.endpoints).toEqual([]);
    expect(minted.talosconfig).toContain('endpoints: []');
    expect(minted.talosconfig).not.toContain('nodes:');
    expect(minted.identity.roles).toEqual(['os:reader']);
    expect(minted.identity.keyAlgorithm).toBe('Ed25519');
    expect(minted.identity.keyPem).toMatch(/^-----BEGIN ED25519 PRIVATE KEY-----/);
    expect(minted.identity.caPem).toBe(lab.ca.certPem);
    const cert = new X509Certificate(minted.identity.certPem);
    expect(cert.verify(new X509Certificate(lab.ca.certPem).publicKey)).toBe(true);
    const lifetime = Date.parse(cert.validTo) - Date.now();
    expect(Math.abs(lifetime - 3600_000)).toBeLessThan(60_000);

    const reader = connect(minted);
    expect((await reader.version(W)).tag).toMatch(/^v1\./);
    await expect(reader.serviceAction(W, 'kubelet', 'restart')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('names a multi-role context after the cluster and grants every role asked for', async () => {
    const minted = await admin.generateClientConfiguration(CP, { roles: ['os:operator', 'os:etcd:backup', ''], ttlSeconds: 600 });
    expect(minted.context).toBe('lab');
    expect(minted.identity.roles).toEqual(['os:etcd:backup', 'os:operator']);
    const both = connect(minted);
    // Authorized (RBAC passed); the node then refuses because apid cannot be restarted through the API.
    await expect(both.serviceAction(W, 'apid', 'restart')).rejects.toThrow(/doesn't support restart operation via API/);
    await expect(both.generateClientConfiguration(CP, { roles: ['os:admin'], ttlSeconds: 60 })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('refuses a zero or negative TTL with InvalidArgument, as Talos does', async () => {
    await expect(admin.generateClientConfiguration(CP, { roles: ['os:reader'], ttlSeconds: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('crt_ttl should be positive'),
    });
    await expect(admin.generateClientConfiguration(CP, { roles: ['os:reader'], ttlSeconds: -5 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('is refused to non-admins and on workers', async () => {
    await expect(operator.generateClientConfiguration(CP, { roles: ['os:reader'], ttlSeconds: 60 })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('os:admin'),
    });
    await expect(admin.generateClientConfiguration(W, { roles: ['os:reader'], ttlSeconds: 60 })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining("can't be generated on worker nodes"),
    });
  });

  it('mints certificates the node refuses once they expire', async () => {
    // A few seconds, not one: NotAfter is whole seconds, and a loaded machine may take a second to validate the answer.
    const minted = await admin.generateClientConfiguration(CP, { roles: ['os:reader'], ttlSeconds: 4 });
    const shortLived = connect(minted);
    const expired = Date.parse(minted.identity.notAfter) + 1200 - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expired)));
    await expect(shortLived.version(CP)).rejects.toMatchObject({ code: expect.stringMatching(/^TLS_/) });
  });

  it('has a talosctl equivalent', () => {
    expect(talosctl.configNew({ context: 'admin@lab', nodes: [CP] }, 'reader.yaml', ['os:reader'], 3600)).toBe(
      'talosctl --context admin@lab -n 10.5.0.2 config new reader.yaml --roles os:reader --crt-ttl 1h',
    );
  });
});
