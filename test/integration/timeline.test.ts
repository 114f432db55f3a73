import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import { timings } from '../../lab/server/lifecycle';
import type { TimelineEntry } from '../../shared/domain/timeline';
import type { Channel, Request, Response } from '../../shared/contract';

const W1 = '10.5.0.3';
const ADMIN = 'practice:admin@lab';
let dir: string;
let services: Services;

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 500;
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-timeline-'));
  services = createServices({ host: 'browser', version: 'test', dataDir: dir, env: {}, home: dir, emit: () => undefined });
  const dispatch = createDispatcher(services);
  await dispatch('vault.setup', { passphrase: 'timeline test passphrase' });
  await dispatch('lab.start', { nodes: 2 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Calls a channel through the dispatcher (validation, roles, audit) and returns its typed response. */
async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const r = await createDispatcher(services)(channel, request);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Response<C>;
}

describe('the incident timeline', () => {
  it('shows a config apply, a service restart and a reboot made through Nodeglass in order, with times and actors, merged with the node’s own events', async () => {
    const lab = services.lab.current()!;
    const startedAt = Date.now();

    await call('configs.apply', { identityId: ADMIN, node: W1, yaml: lab.node(W1).config.active, mode: 'no-reboot', dryRun: false });
    await new Promise((r) => setTimeout(r, 1100));
    await call('talos.serviceAction', { identityId: ADMIN, nodes: [W1], service: 'kubelet', action: 'restart' });
    await new Promise((r) => setTimeout(r, 1100));
    // The app refreshes the timeline while the operator works; what it saw before the reboot (which empties the
    // node's Events ring and ServiceList) stays on it.
    await call('timeline.collect', { identityId: ADMIN, nodes: [W1], sinceMinutes: 10 });
    const plan = await call('operations.plan', {
      identityId: ADMIN,
      nodes: [W1],
      action: { kind: 'reboot', mode: 'default' },
      workerBatchSize: 1,
      gateTimeoutSeconds: 60,
    });
    const started = await call('operations.start', { planId: plan.id, clusterName: null, quorumOverride: null });
    await expect
      .poll(async () => (await call('operations.list', {})).find((o) => o.id === started.id)?.state, { timeout: 20_000 })
      .toBe('succeeded');
    const actorId = (await call('operations.list', {})).find((o) => o.id === started.id)!.steps[0]!.actorId!;
    expect(actorId).toMatch(/.+/);

    const timeline = await call('timeline.collect', { identityId: ADMIN, nodes: [W1], sinceMinutes: 10 });
    const mine = timeline.entries.filter((e) => e.source === 'audit');
    expect(mine.map((e) => [e.kind, e.title])).toEqual([
      ['config', 'ApplyConfiguration by practice admin@lab: ok'],
      ['audit', 'ServiceRestart by practice admin@lab: ok'],
      ['reboot', 'Reboot by practice admin@lab: ok'],
    ]);
    for (const e of mine) {
      expect(e.at).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(e.actor).toMatch(/^practice admin@lab \(.+\)$/);
      expect(e.detail).toMatch(/^talosctl --context 'practice admin@lab' -n 10\.5\.0\.3 /);
    }
    expect(mine[2]!.actorIds).toEqual([actorId]);

    const at = (predicate: (e: TimelineEntry, i: number) => boolean) => timeline.entries.findIndex(predicate);
    // In order, to the second (Talos dates events by their xid, in whole seconds).
    const seconds = timeline.entries.map((e) => Math.floor(e.at / 1000));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    // The node's own events, merged: the kubelet going down and up after the restart, then the new boot and its
    // boot sequence (Talos' boot events carry no actor id; the reboot's actor id is on the audited action).
    const restart = at((e) => e.title.startsWith('ServiceRestart'));
    const kubeletBack = at((e, i) => i > restart && e.source === 'Events' && e.kind === 'service' && /^kubelet: Running/.test(e.title));
    const rebootAudit = at((e) => e.title.startsWith('Reboot by'));
    const sequence = at((e) => e.source === 'Events' && e.title === 'sequence boot start');
    const booted = at((e) => e.source === 'SystemStat' && e.kind === 'reboot');
    expect(at((e) => e.title.startsWith('ApplyConfiguration'))).toBeLessThan(restart);
    expect(restart).toBeLessThan(kubeletBack);
    expect(kubeletBack).toBeLessThan(rebootAudit);
    expect(rebootAudit).toBeLessThan(booted);
    expect(booted).toBeLessThan(sequence);
    // Events that carry the reboot's actor id, when read before the node went down, sit after the request.
    for (const e of timeline.entries.filter((x) => x.source === 'Events' && x.actor === actorId))
      expect(e.at).toBeGreaterThanOrEqual(mine[2]!.at - 1000);
    expect(timeline.entries[booted]!.title).toMatch(/^booted \(boot id [0-9a-f-]{36}\)$/);
    expect(timeline.entries[kubeletBack]!.log).toBe('kubelet');
    expect(timeline.failures).toEqual([]);
  });
});
