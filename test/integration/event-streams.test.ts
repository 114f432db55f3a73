import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalosEvent } from '../../shared/domain/talos';
import { createDispatcher } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';
import { timings } from '../../lab/server/lifecycle';

let dir: string;
let services: Services;
const received: { key: string; event: TalosEvent }[] = [];
const states: string[] = [];

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 500;
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-events-'));
  services = createServices({
    host: 'browser',
    version: 'test',
    dataDir: dir,
    env: {},
    home: dir,
    emit: (name, payload) => {
      if (name === 'stream.events')
        for (const event of (payload as { key: string; events: TalosEvent[] }).events)
          received.push({ key: (payload as { key: string }).key, event });
      if (name === 'stream.state') states.push((payload as { state: string }).state);
    },
  });
  // A reboot is written to the audit trail first, and the trail's seal key lives in the vault.
  await createDispatcher(services)('vault.setup', { passphrase: 'events test passphrase' });
  await createDispatcher(services)('lab.start', { nodes: 2 });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('the events stream of the console', () => {
  it('keeps following a node across its reboot and delivers each event once', async () => {
    const dispatch = createDispatcher(services);
    const opened = await dispatch('stream.open', {
      streamId: 'events-across-reboot',
      identityId: 'practice:admin@lab',
      nodes: ['10.5.0.3'],
      kind: 'events',
      tail: 0,
    });
    expect(opened.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const plan = await dispatch('operations.plan', {
      identityId: 'practice:admin@lab',
      nodes: ['10.5.0.3'],
      action: { kind: 'reboot', mode: 'default' },
      workerBatchSize: 1,
      gateTimeoutSeconds: 60,
    });
    expect(plan.ok).toBe(true);
    const reboot = await dispatch('operations.start', {
      planId: (plan as { value: { id: string } }).value.id,
      clusterName: null,
      quorumOverride: null,
    });
    expect(reboot.ok).toBe(true);
    const running = () =>
      received.some(
        ({ event }) =>
          event.type === 'MachineStatusEvent' &&
          (event.data as { stage: string }).stage === 'running' &&
          (event.data as { ready: boolean }).ready,
      );
    await expect.poll(running, { timeout: 15_000 }).toBe(true);
    expect(states).toContain('reconnecting');
    expect(
      received.some(({ event }) => event.type === 'MachineStatusEvent' && (event.data as { stage: string }).stage === 'rebooting'),
    ).toBe(true);
    expect(received.every(({ key }) => key === '10.5.0.3')).toBe(true);
    const ids = received.map(({ event }) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
