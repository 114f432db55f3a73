import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../electron/host/dispatch';
import { createServices, type Services } from '../../electron/services';

let dir: string;
let services: Services;
let dispatch: Dispatch;
const READER = 'practice:reader@lab';
const CP = '10.5.0.2';
const W = '10.5.0.3';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nodeglass-partial-'));
  services = createServices({ host: 'browser', version: 'test', dataDir: dir, env: {}, home: dir, emit: () => undefined });
  dispatch = createDispatcher(services);
  expect(await dispatch('lab.start', { nodes: 2 })).toMatchObject({ ok: true });
});
afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('partial data', () => {
  it('keeps what a node answered for the overview when one method is missing, and says which', async () => {
    services.lab.current()!.setMissingMethod(W, 'Hostname', true);
    try {
      const result = await dispatch('talos.overview', { identityId: READER, nodes: [CP, W] });
      const [cp, w] = (result as { value: { node: string; ok: boolean; value: Record<string, unknown> }[] }).value;
      expect(cp).toMatchObject({ ok: true, value: { hostname: 'lab-controlplane-1', failures: [] } });
      expect(w).toMatchObject({
        node: W,
        ok: true,
        value: {
          hostname: null,
          version: { tag: expect.stringMatching(/^v1\./) },
          memory: { totalMb: expect.any(Number) },
          failures: [{ call: 'Hostname', code: 'UNIMPLEMENTED', message: expect.stringContaining('unknown method Hostname') }],
        },
      });
    } finally {
      services.lab.current()!.setMissingMethod(W, 'Hostname', false);
    }
  });

  it('fails a node as a whole only when nothing answered, with the reason', async () => {
    services.lab.current()!.setUnreachable(W, true);
    try {
      const result = await dispatch('talos.overview', { identityId: READER, nodes: [W] });
      expect(result).toMatchObject({ ok: true, value: [{ node: W, ok: false, error: { code: 'UNAVAILABLE' } }] });
    } finally {
      services.lab.current()!.setUnreachable(W, false);
    }
  });

  it('reports etcd alarms as not received, not as empty, when the call fails', async () => {
    services.lab.current()!.setMissingMethod(CP, 'EtcdAlarmList', true);
    try {
      const result = await dispatch('talos.etcd', { identityId: READER, nodes: [CP] });
      expect(result).toMatchObject({
        ok: true,
        value: [{ ok: true, value: { alarms: null, members: [expect.any(Object)], failures: [{ call: 'EtcdAlarmList' }] } }],
      });
    } finally {
      services.lab.current()!.setMissingMethod(CP, 'EtcdAlarmList', false);
    }
  });

  it('falls back to the ServiceList ids for log sources when LogsContainers fails', async () => {
    services.lab.current()!.setMissingMethod(CP, 'LogsContainers', true);
    try {
      const result = await dispatch('logs.sources', { identityId: READER, node: CP });
      const value = (result as { value: { services: string[]; errors: { call: string }[] } }).value;
      expect(value.services).toEqual(expect.arrayContaining(['apid', 'etcd', 'kubelet', 'machined', 'kernel']));
      expect(value.errors).toEqual([{ call: 'LogsContainers', message: expect.stringContaining('unknown method LogsContainers') }]);
    } finally {
      services.lab.current()!.setMissingMethod(CP, 'LogsContainers', false);
    }
  });
});
