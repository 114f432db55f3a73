import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, channels, type Channel } from '../../shared/contract';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import { timings } from '../../lab/server/lifecycle';

let dir: string;
let services: Services;
let dispatch: ReturnType<typeof createDispatcher>;
const ids = { operator: 'practice:operator@lab', reader: 'practice:reader@lab' };

const call = async (channel: Channel, request: unknown) => {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

beforeAll(async () => {
  timings.stepMs = 20;
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-audit-'));
  services = createServices({ host: 'browser', version: 'test', dataDir: dir, emit: () => undefined, env: {}, home: dir });
  dispatch = createDispatcher(services.handlers, () => undefined);
  await call('vault.setup', { passphrase: 'audit test passphrase' });
  await call('lab.start', { nodes: 2 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const auditFile = () => path.join(dir, 'audit', 'audit.jsonl');
const lines = async () => (await readFile(auditFile(), 'utf8')).split('\n').filter(Boolean);

describe('the audit trail', () => {
  it('records a restart through the services layer with who, what, where, outcome and the talosctl command', async () => {
    await call('talos.serviceAction', { identityId: ids.operator, nodes: ['10.5.0.3'], service: 'kubelet', action: 'restart' });
    const [entry] = (await call('audit.list', { from: null, to: null, node: null, identity: null, method: null, outcome: null })) as Record<
      string,
      unknown
    >[];
    expect(entry).toMatchObject({
      seq: 1,
      osUser: os.userInfo().username,
      identity: {
        name: 'practice operator@lab',
        roles: ['os:operator'],
        fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      },
      nodes: ['10.5.0.3'],
      method: '/machine.MachineService/ServiceRestart',
      args: { id: 'kubelet' },
      outcomes: [{ node: '10.5.0.3', ok: true }],
      talosctl: "talosctl --context 'practice operator@lab' -n 10.5.0.3 service kubelet restart",
      prev: '0'.repeat(64),
    });
    expect(Date.parse(String(entry!.time))).toBeGreaterThan(Date.now() - 60_000);
    expect(await readFile(auditFile(), 'utf8')).not.toMatch(/PRIVATE KEY|audit test passphrase/);
  });

  it('records a permission-denied call as failed', async () => {
    await call('talos.serviceAction', { identityId: ids.reader, nodes: ['10.5.0.2'], service: 'kubelet', action: 'restart' });
    const failed = (await call('audit.list', { from: null, to: null, node: null, identity: null, method: null, outcome: 'failed' })) as {
      outcomes: { code: string }[];
      identity: { name: string };
    }[];
    expect(failed).toHaveLength(1);
    expect(failed[0]!.identity.name).toBe('practice reader@lab');
    expect(failed[0]!.outcomes[0]!.code).toBe('PERMISSION_DENIED');
  });

  it('verifies intact with a valid seal', async () => {
    expect(await call('audit.verify', {})).toMatchObject({ state: 'intact', count: 2, seal: 'valid', firstBroken: null });
  });

  it('exports a range as JSON lines and CSV with the chain proof', async () => {
    const filter = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: null,
      node: null,
      identity: null,
      method: null,
      outcome: null,
    };
    const jsonl = (await call('audit.export', { filter, format: 'jsonl' })) as { content: string; entries: number };
    expect(jsonl.entries).toBe(2);
    const last = JSON.parse(jsonl.content.trim().split('\n').at(-1)!) as { proof: { chain: string; seal: string } };
    expect(last.proof).toMatchObject({ chain: 'intact', seal: 'valid' });
    const csv = (await call('audit.export', { filter, format: 'csv' })) as { content: string };
    expect(csv.content.split('\n')[0]).toBe('seq,time,osUser,identity,fingerprint,roles,nodes,method,args,outcomes,talosctl,prev,hash');
    expect(csv.content).toContain('# proof: ');
  });

  it('detects an edited, a deleted and a reordered line at the right entry, and removal from the end', async () => {
    for (let i = 0; i < 3; i++)
      await call('talos.serviceAction', { identityId: ids.operator, nodes: ['10.5.0.2'], service: 'kubelet', action: 'start' });
    const original = await lines();
    expect(original).toHaveLength(5);
    const check = async (content: string[]) => {
      await writeFile(auditFile(), content.join('\n') + '\n');
      return (await call('audit.verify', {})) as {
        state: string;
        firstBroken: { line: number; seq: number; reason: string } | null;
        seal: string;
      };
    };
    const edited = [...original];
    edited[2] = edited[2]!.replace('"kubelet"', '"etcd"');
    expect((await check(edited)).firstBroken).toMatchObject({
      line: 3,
      seq: 3,
      reason: expect.stringContaining('changed after it was written'),
    });
    const deleted = original.filter((_l, i) => i !== 1);
    expect((await check(deleted)).firstBroken).toMatchObject({ line: 2, seq: 3, reason: expect.stringContaining('missing') });
    const reordered = [original[0]!, original[2]!, original[1]!, original[3]!, original[4]!];
    expect((await check(reordered)).firstBroken).toMatchObject({ line: 2, seq: 3 });
    const shortened = original.slice(0, 4);
    const tail = await check(shortened);
    expect(tail.state).toBe('broken');
    expect(tail.seal).toBe('invalid');
    expect((await check(original)).state).toBe('intact');
  });

  it('reports and repairs a truncated last line without losing the entries before it', async () => {
    const before = await lines();
    await appendFile(auditFile(), '{"seq":6,"time":"2026-');
    const fresh = createServices({ host: 'browser', version: 'test', dataDir: dir, emit: () => undefined, env: {}, home: dir });
    try {
      await createDispatcher(fresh.handlers)('vault.unlock', { passphrase: 'audit test passphrase' });
      const verification = await fresh.audit.verify();
      expect(verification.state).toBe('intact');
      expect(verification.count).toBe(before.length);
      expect(verification.repaired).toMatch(/half-written.*kept in audit\.jsonl\.broken-\d+.*5 entries before it are intact/);
      expect(await lines()).toEqual(before);
    } finally {
      await fresh.dispose();
    }
  });

  it('records an entry for every mutating channel of the contract', async () => {
    const samples: Partial<Record<Channel, unknown>> = {
      'talos.serviceAction': { identityId: ids.operator, nodes: ['10.5.0.2'], service: 'kubelet', action: 'start' },
      'talos.lifecycle': { identityId: ids.reader, nodes: ['10.5.0.3'], action: 'reboot', image: null },
      'configs.apply': {
        identityId: 'practice:admin@lab',
        node: '10.5.0.2',
        yaml: 'version: v1alpha1\nmachine:\n    type: controlplane\n',
        mode: 'auto',
        dryRun: true,
      },
      'configs.reveal': { identityId: 'practice:admin@lab', node: '10.5.0.2', which: 'v1alpha1' },
      'identities.export': { id: ids.reader, path: path.join(dir, 'exported-talosconfig'), acknowledgePlaintextKey: true },
    };
    const mutating = channelNames.filter((c) => (channels[c] as { mutating?: boolean }).mutating);
    expect(mutating.length).toBeGreaterThan(0);
    for (const channel of mutating) {
      expect(samples[channel], `add a sample request for ${channel}`).toBeDefined();
      const before = (await services.audit.entries()).length;
      await dispatch(channel, samples[channel]);
      expect((await services.audit.entries()).length, channel).toBe(before + 1);
    }
  });
});
