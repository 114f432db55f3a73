import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, channels, type Channel } from '../../shared/contract';
import { createDispatcher } from '../../electron/host/dispatch';
import type { Handlers, MutatingChannel, MutatingHandler } from '../../shared/handlers';
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
  dispatch = createDispatcher(services, () => undefined);
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
  it('records a restart through the services layer: the intent before the call, the outcome after', async () => {
    await call('talos.serviceAction', { identityId: ids.operator, nodes: ['10.5.0.3'], service: 'kubelet', action: 'restart' });
    const [outcome, intent] = (await call('audit.list', {
      from: null,
      to: null,
      node: null,
      identity: null,
      method: null,
      outcome: null,
    })) as Record<string, unknown>[];
    const who = {
      osUser: os.userInfo().username,
      identity: {
        name: 'practice operator@lab',
        roles: ['os:operator'],
        fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      },
      nodes: ['10.5.0.3'],
      method: '/machine.MachineService/ServiceRestart',
      args: { id: 'kubelet' },
      talosctl: "talosctl --context 'practice operator@lab' -n 10.5.0.3 service kubelet restart",
    };
    expect(intent).toMatchObject({ ...who, seq: 1, kind: 'intent', outcomes: [], prev: '0'.repeat(64) });
    expect(outcome).toMatchObject({
      ...who,
      seq: 2,
      kind: 'outcome',
      operation: intent!.operation,
      outcomes: [{ node: '10.5.0.3', ok: true }],
    });
    expect(Date.parse(String(intent!.time))).toBeGreaterThan(Date.now() - 60_000);
    expect(await readFile(auditFile(), 'utf8')).not.toMatch(/PRIVATE KEY|audit test passphrase/);
  });

  it('records a permission-denied call as failed', async () => {
    await call('talos.serviceAction', { identityId: ids.reader, nodes: ['10.5.0.2'], service: 'kubelet', action: 'restart' });
    const failed = (await call('audit.list', { from: null, to: null, node: null, identity: null, method: null, outcome: 'failed' })) as {
      kind: string;
      outcomes: { code: string }[];
      identity: { name: string };
    }[];
    expect(failed.map((e) => e.kind)).toEqual(['outcome', 'intent']);
    expect(failed[0]!.identity.name).toBe('practice reader@lab');
    expect(failed[0]!.outcomes[0]!.code).toBe('PERMISSION_DENIED');
  });

  it('verifies intact with a valid seal', async () => {
    expect(await call('audit.verify', {})).toMatchObject({ state: 'intact', count: 4, seal: 'valid', firstBroken: null });
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
    expect(jsonl.entries).toBe(4);
    const last = JSON.parse(jsonl.content.trim().split('\n').at(-1)!) as { proof: { chain: string; seal: string } };
    expect(last.proof).toMatchObject({ chain: 'intact', seal: 'valid' });
    const csv = (await call('audit.export', { filter, format: 'csv' })) as { content: string };
    expect(csv.content.split('\n')[0]).toBe(
      'seq,time,kind,operation,step,osUser,identity,fingerprint,roles,nodes,method,args,outcomes,talosctl,prev,hash,mac,break',
    );
    expect(csv.content).toContain('# proof: ');
  });

  it('finds an edited line while the app runs, at the right entry, and continues in a new segment', async () => {
    const original = await lines();
    await writeFile(auditFile(), original.map((l, i) => (i === 1 ? l.replace('"kubelet"', '"etcd"') : l)).join('\n') + '\n');
    const verification = (await call('audit.verify', {})) as { state: string; firstBroken: object; breaks: unknown[] };
    expect(verification.state).toBe('broken');
    expect(verification.firstBroken).toMatchObject({
      segment: 1,
      line: 2,
      seq: 2,
      reason: expect.stringContaining('changed after it was written'),
    });
    await call('talos.serviceAction', { identityId: ids.operator, nodes: ['10.5.0.2'], service: 'kubelet', action: 'start' });
    const second = (await readFile(path.join(dir, 'audit', 'audit.2.jsonl'), 'utf8')).split('\n').filter(Boolean);
    expect(JSON.parse(second[0]!)).toMatchObject({ kind: 'break', break: { segment: 1, entries: original.length } });
    expect(await call('audit.verify', {})).toMatchObject({ state: 'broken', seal: 'valid', firstBroken: { line: 2, seq: 2 } });
  });

  describe('every channel the contract marks mutating (the dispatcher enforces it, not the handlers)', () => {
    let planId = '';
    const samples = (): Partial<Record<Channel, unknown>> => ({
      'operations.start': { planId, clusterName: null, quorumOverride: null },
      'talos.serviceAction': { identityId: ids.operator, nodes: ['10.5.0.2'], service: 'kubelet', action: 'start' },
      'configs.apply': {
        identityId: 'practice:admin@lab',
        node: '10.5.0.2',
        yaml: 'version: v1alpha1\nmachine:\n    type: controlplane\n',
        mode: 'auto',
        dryRun: true,
      },
      'configs.reveal': { identityId: 'practice:admin@lab', node: '10.5.0.2', which: 'v1alpha1' },
      'resources.reveal': {
        identityId: 'practice:admin@lab',
        node: '10.5.0.2',
        type: 'OSRootSecrets.secrets.talos.dev',
        namespace: 'secrets',
        id: 'os',
      },
      'downloads.kubeconfig': { identityId: 'practice:admin@lab', node: '10.5.0.2', downloadId: 'audit-kubeconfig', clusterName: 'lab' },
      'identities.export': { id: ids.reader, acknowledgePlaintextKey: true },
      'identities.exportBundle': { id: ids.reader, passphrase: 'a bundle passphrase for the audit test' },
      'identities.setReadOnly': { id: ids.reader, readOnly: false },
      'identities.mint': {
        identityId: 'practice:admin@lab',
        node: null,
        roles: ['os:reader'],
        ttlSeconds: 600,
        name: null,
        label: null,
        colour: null,
        readOnly: false,
      },
      'identities.renew': { id: ids.reader, identityId: 'practice:admin@lab', node: null },
      'evidence.generate': { identityId: ids.reader, nodes: ['10.5.0.2'], from: null, runId: 'audit-test' },
      'shift.start': { identityId: 'practice:admin@lab', node: null, ttlSeconds: 3600 },
      'shift.unlock': { identityId: 'practice:admin@lab', reason: 'the audit test needs the admin' },
      'shift.end': {},
    });
    const mutating = channelNames.filter((c) => (channels[c] as { mutating?: boolean }).mutating);
    /** The services' handlers, with every mutating handler's action wrapped to note how long the trail was when it ran. */
    const watched = () => {
      const runs: { channel: string; entriesWhenRun: number }[] = [];
      const handlers = { ...services.handlers } as Record<string, unknown>;
      for (const channel of mutating) {
        const original = services.handlers[channel] as MutatingHandler<MutatingChannel>;
        handlers[channel] = {
          ...original,
          run: async (request: never, operation: never) => {
            runs.push({ channel, entriesWhenRun: (await services.audit.entries()).length });
            return original.run(request, operation);
          },
        };
      }
      return { runs, dispatch: createDispatcher({ handlers: handlers as Handlers, gate: services.gate }, () => undefined) };
    };

    /** operations.start needs a stored plan: one the reader may not run, so nothing reboots. */
    const blockedPlan = async () =>
      (
        (await call('operations.plan', {
          identityId: ids.reader,
          nodes: ['10.5.0.3'],
          action: { kind: 'reboot', mode: 'default' },
          workerBatchSize: 1,
          gateTimeoutSeconds: 60,
        })) as { id: string }
      ).id;

    /** Brings the shift into the state a channel's sample needs (shift.start needs none running; unlock and end need one). */
    const prepare = async (channel: Channel) => {
      planId = await blockedPlan();
      const shift = (await call('shift.status', {})) as { active: boolean } | null;
      if (channel === 'shift.start' && shift) await call('shift.end', {});
      if ((channel === 'shift.unlock' || channel === 'shift.end') && !shift?.active)
        await call('shift.start', { identityId: 'practice:admin@lab', node: null, ttlSeconds: 3600 });
    };

    it('writes the intent before the action runs and the outcome after', { timeout: 120_000 }, async () => {
      expect(mutating.length).toBeGreaterThan(0);
      const { runs, dispatch: audited } = watched();
      for (const channel of mutating) {
        await prepare(channel);
        expect(samples()[channel], `add a sample request for ${channel}`).toBeDefined();
        const before = (await services.audit.entries()).length;
        await audited(channel, samples()[channel]);
        const written = (await services.audit.entries()).slice(before);
        expect(
          written.map((e) => e.kind),
          channel,
        ).toEqual(['intent', 'outcome']);
        expect(written[1]!.operation, channel).toBe(written[0]!.operation);
        expect(runs.at(-1), channel).toEqual({ channel, entriesWhenRun: before + 1 });
      }
    });

    it(
      'refuses with AUDIT_UNAVAILABLE, says how to fix it, and runs nothing, when the trail cannot be written',
      { timeout: 120_000 },
      async () => {
        const { runs, dispatch: audited } = watched();
        await call('talos.serviceAction', { identityId: ids.operator, nodes: ['10.5.0.2'], service: 'kubelet', action: 'start' });
        for (const channel of mutating) {
          await prepare(channel);
          const before = await services.audit.entries();
          // The trail's folder replaced by a file: every read and write fails as on a broken or read-only disk.
          const folder = path.dirname(auditFile());
          await rename(folder, `${folder}.aside`);
          await writeFile(folder, '');
          try {
            expect(await audited(channel, samples()[channel]), channel).toMatchObject({
              ok: false,
              error: { code: 'AUDIT_UNAVAILABLE', message: expect.stringContaining('is writable by you and the disk has space') },
            });
          } finally {
            await rm(folder);
            await rename(`${folder}.aside`, folder);
          }
          expect(await services.audit.entries(), channel).toEqual(before);
        }
        expect(runs).toEqual([]);
      },
    );

    it('refuses every mutating channel while the vault (the seal key) is locked, and runs nothing', { timeout: 120_000 }, async () => {
      const { runs, dispatch: audited } = watched();
      for (const channel of mutating) {
        await prepare(channel);
        await call('vault.lock', {});
        try {
          const result = await audited(channel, samples()[channel]);
          // Minting needs the vault itself and says so first; everything else is refused by the trail.
          const code = ['identities.mint', 'identities.renew', 'shift.start'].includes(channel) ? 'VAULT_LOCKED' : 'AUDIT_UNAVAILABLE';
          expect(result, channel).toMatchObject({ ok: false, error: { code, message: expect.stringContaining('Unlock the vault') } });
        } finally {
          await call('vault.unlock', { passphrase: 'audit test passphrase' });
        }
      }
      expect(runs).toEqual([]);
    });

    it('refuses every mutating channel on a host without a trail', { timeout: 120_000 }, async () => {
      const noTrail = createDispatcher({ handlers: services.handlers }, () => undefined);
      for (const channel of mutating) {
        await prepare(channel);
        expect(await noTrail(channel, samples()[channel]), channel).toMatchObject({ ok: false, error: { code: 'AUDIT_UNAVAILABLE' } });
      }
    });
  });

  describe('after a restart and unlock', () => {
    const restart = async (damage: () => Promise<void>) => {
      await services.dispose();
      await damage();
      services = createServices({ host: 'browser', version: 'test', dataDir: dir, emit: () => undefined, env: {}, home: dir });
      dispatch = createDispatcher(services, () => undefined);
      expect(await dispatch('vault.unlock', { passphrase: 'audit test passphrase' })).toMatchObject({ ok: true });
      return (await call('audit.verify', {})) as { state: string; seal: string; problems: object[]; breaks: unknown[] };
    };
    const current = async () => {
      const segment = (f: string) => Number(/^audit\.(\d+)\.jsonl$/.exec(f)?.[1] ?? (f === 'audit.jsonl' ? 1 : 0));
      const files = (await readdir(path.join(dir, 'audit'))).filter((f) => segment(f) > 0);
      return path.join(dir, 'audit', files.sort((a, b) => segment(a) - segment(b)).at(-1)!);
    };

    it('reports entries removed from the end instead of sealing over them', async () => {
      const file = await current();
      const kept = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      const v = await restart(() => writeFile(file, kept.slice(0, -1).join('\n') + '\n'));
      expect(v.state).toBe('broken');
      expect(v.problems).toContainEqual(
        expect.objectContaining({ line: kept.length - 1, reason: expect.stringContaining('removed from the end') }),
      );
    });

    it('reports a deleted seal as broken, not as "not sealed"', async () => {
      const v = await restart(() => rm(path.join(dir, 'audit', 'audit.jsonl.seal')));
      expect(v.state).toBe('broken');
      expect(v.problems).toContainEqual(expect.objectContaining({ reason: expect.stringContaining('seal file is missing') }));
    });

    it('unlocks, lists and locates a corrupt line instead of failing with INTERNAL', async () => {
      const file = await current();
      const before = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      const v = await restart(() => writeFile(file, [before[0], '{"broken":', ...before.slice(1)].join('\n') + '\n'));
      expect(v.problems).toContainEqual(
        expect.objectContaining({ file: path.basename(file), line: 2, seq: null, reason: expect.stringContaining('not valid JSON') }),
      );
      const listed = (await call('audit.list', {
        from: null,
        to: null,
        node: null,
        identity: null,
        method: null,
        outcome: null,
      })) as unknown[];
      expect(listed.length).toBeGreaterThanOrEqual(before.length);
    });
  });
});
