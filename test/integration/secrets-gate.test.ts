import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, channels, type Channel } from '../../shared/contract';
import type { TalosEvent } from '../../shared/domain/talos';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';

let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;
const resourceEvents: unknown[] = [];
const admin = 'practice:admin@lab';
const CP = '10.5.0.2';
const OS_ROOT = { type: 'OSRootSecrets.secrets.talos.dev', namespace: 'secrets', id: 'os' };

const call = async (channel: Channel, request: unknown) => {
  const result = await dispatch(channel, request);
  if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), result.error);
  return result.value as never;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-secrets-'));
  services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: dir,
    env: {},
    home: dir,
    emit: (name, payload) => {
      if (name === 'stream.resources') resourceEvents.push(...(payload as { events: TalosEvent[] }).events);
    },
  });
  dispatch = createDispatcher(services, () => undefined);
  await call('vault.setup', { passphrase: 'secrets test passphrase' });
  await call('lab.start', { nodes: 2 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Key material of the lab's secret resources, as it sits on the node. */
async function rawSpec(): Promise<string> {
  return services.lab.current()!.node(CP).resources.get('secrets', OS_ROOT.type, 'os')!.yamlSpec;
}

describe('one gate for secrets', () => {
  it('the lab marks the types Talos marks sensitive, and says so in their ResourceDefinitions', async () => {
    const kinds = (await call('resources.kinds', { identityId: admin, node: CP })) as { type: string; sensitive: boolean }[];
    const sensitive = kinds.filter((k) => k.sensitive).map((k) => k.type);
    for (const type of [
      'MachineConfigs.config.talos.dev',
      'OSRootSecrets.secrets.talos.dev',
      'EtcdRootSecrets.secrets.talos.dev',
      'KubernetesRootSecrets.secrets.talos.dev',
      'TrustdCertificates.secrets.talos.dev',
      'ApiCertificates.secrets.talos.dev',
      'KubeletConfigs.kubernetes.talos.dev',
      'RegistryConfigs.cri.talos.dev',
      'EtcFileSpecs.files.talos.dev',
    ])
      expect(sensitive, type).toContain(type);
    expect(sensitive).not.toContain('Members.cluster.talos.dev');
  });

  it('gets a sensitive resource redacted, with what was redacted and withheld, and no key material', async () => {
    const got = (await call('resources.get', { identityId: admin, node: CP, ...OS_ROOT })) as {
      yaml: string;
      sensitive: boolean;
      redactedPaths: string[];
      withheldPaths: string[];
    };
    expect(got.sensitive).toBe(true);
    expect(got.redactedPaths).toEqual(expect.arrayContaining(['issuingCA.key', 'token']));
    expect(got.yaml).toContain('[redacted]');
    expect(got.yaml).toContain(CP);
    const spec = await rawSpec();
    const keyValue = /key: (\S+)/.exec(spec)![1]!;
    const token = /token: (\S+)/.exec(spec)![1]!;
    expect(got.yaml).not.toContain(keyValue);
    expect(got.yaml).not.toContain(token);
    expect(got.yaml).not.toMatch(/PRIVATE KEY|LS0tLS1CRUdJTiBFRDI1NTE5/);
  });

  it('redacts MachineConfig through resources as the Config screen does', async () => {
    const got = (await call('resources.get', {
      identityId: admin,
      node: CP,
      type: 'MachineConfigs.config.talos.dev',
      namespace: 'config',
      id: 'v1alpha1',
    })) as { yaml: string; sensitive: boolean; redactedPaths: string[] };
    expect(got.sensitive).toBe(true);
    expect(got.redactedPaths.length).toBeGreaterThan(3);
    expect(got.yaml).not.toContain('d8cwfa');
  });

  it('lists and watches sensitive types without their secrets', async () => {
    const [list] = (await call('resources.list', { identityId: admin, nodes: [CP], type: OS_ROOT.type, namespace: 'secrets' })) as {
      ok: boolean;
      value: unknown[];
    }[];
    expect(list!.ok).toBe(true);
    expect(JSON.stringify(list)).not.toContain(/token: (\S+)/.exec(await rawSpec())![1]!);
    const streamId = 'secrets-gate-watch';
    await call('stream.open', {
      streamId,
      identityId: admin,
      nodes: [CP],
      kind: 'resources',
      tail: 0,
      resource: { type: OS_ROOT.type, namespace: 'secrets', id: null },
    });
    await expect.poll(() => resourceEvents.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await call('stream.close', { streamId });
    expect(JSON.stringify(resourceEvents)).not.toMatch(/LS0tLS1CRUdJTi/);
  });

  it('tells a reader that sensitive resources need os:admin', async () => {
    await expect(call('resources.get', { identityId: 'practice:reader@lab', node: CP, ...OS_ROOT })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: 'OSRootSecrets.secrets.talos.dev is a sensitive resource: reading it needs os:admin; this identity has os:reader.',
    });
  });

  it('reveals only to an admin, and records every reveal in the audit trail', async () => {
    const revealed = (await call('resources.reveal', { identityId: admin, node: CP, ...OS_ROOT })) as { yaml: string };
    expect(revealed.yaml).toContain(/token: (\S+)/.exec(await rawSpec())![1]!);
    await expect(call('resources.reveal', { identityId: 'practice:operator@lab', node: CP, ...OS_ROOT })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    const entries = (await services.audit.entries()).filter((e) => e.args.reveal === 'secrets');
    expect(entries.map((e) => [e.kind, e.identity.name, e.outcomes[0]?.ok ?? null])).toEqual([
      ['intent', 'practice admin@lab', null],
      ['outcome', 'practice admin@lab', true],
      ['intent', 'practice operator@lab', null],
      ['outcome', 'practice operator@lab', false],
    ]);
    expect(entries[0]).toMatchObject({
      method: '/cosi.resource.State/Get',
      args: { type: OS_ROOT.type, id: 'os' },
      talosctl: "talosctl --context 'practice admin@lab' -n 10.5.0.2 get OSRootSecrets.secrets.talos.dev os -o yaml",
    });
    expect(JSON.stringify(await services.audit.entries())).not.toContain(/token: (\S+)/.exec(await rawSpec())![1]!);
  });

  it('every channel that returns resources is covered: none but the reveals is mutating', () => {
    const reveals = channelNames.filter((c) => c.endsWith('.reveal'));
    expect(reveals.sort()).toEqual(['configs.reveal', 'resources.reveal']);
    for (const c of reveals) expect((channels[c] as { mutating?: boolean }).mutating, c).toBe(true);
  });
});
