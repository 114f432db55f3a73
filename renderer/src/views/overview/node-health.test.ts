import { describe, expect, it } from 'vitest';
import type { NodeOverview } from '../../../../shared/domain/talos';
import { fleetRow, healthSummary, worstFirst } from './node-health';

const overview = (patch: Partial<NodeOverview> = {}): NodeOverview => ({
  hostname: 'lab-worker-1',
  version: { tag: 'v1.13.9', sha: 'abc', arch: 'amd64', goVersion: 'go1.25', os: 'Talos', platform: 'metal', platformMode: 'metal' },
  machineType: 'worker',
  status: { stage: 'running', ready: true, unmetConditions: [] },
  bootTime: 1000,
  cpuSeconds: { busy: 1, total: 2 },
  memory: { totalMb: 4000, usedMb: 1000, availableMb: 3000 },
  load: { load1: 0.5, load5: 0.4, load15: 0.3 },
  security: null,
  addresses: ['10.5.0.3/24'],
  failingServices: [],
  failures: [],
  ...patch,
});

describe('fleet rows', () => {
  it('says what is wrong with each node, in one sentence', () => {
    const ok = fleetRow({ node: '10.5.0.3', ok: true, value: overview() }, undefined, 12, 4600);
    expect(ok).toMatchObject({ health: 'ok', problem: '', uptimeSeconds: 3600, memoryPercent: 25, role: 'worker', version: 'v1.13.9' });
    const failing = fleetRow({ node: '10.5.0.4', ok: true, value: overview({ failingServices: ['kubelet'] }) }, undefined, null, 4600);
    expect(failing).toMatchObject({ health: 'degraded', problem: '1 service failing: kubelet' });
    const unready = fleetRow(
      {
        node: '10.5.0.5',
        ok: true,
        value: overview({ status: { stage: 'booting', ready: false, unmetConditions: [{ name: 'nodeReady', reason: 'node not ready' }] } }),
      },
      undefined,
      null,
      4600,
    );
    expect(unready).toMatchObject({ health: 'not-ready', stage: 'booting', problem: 'nodeReady: node not ready' });
    const down = fleetRow(
      { node: '10.5.0.6', ok: false, error: { code: 'UNAVAILABLE', message: '10.5.0.6 is unreachable: check that the node is up.' } },
      { hostname: 'lab-controlplane-2', machineType: 'controlplane' },
      null,
      4600,
    );
    expect(down).toMatchObject({
      health: 'down',
      role: 'controlplane',
      hostname: 'lab-controlplane-2',
      problem: '10.5.0.6 is unreachable: check that the node is up.',
    });
    expect([ok, failing, down, unready].sort(worstFirst).map((r) => r.node)).toEqual(['10.5.0.6', '10.5.0.5', '10.5.0.4', '10.5.0.3']);
  });

  it('gives no verdict on parts that were not received, and says which calls failed', () => {
    const noServices = fleetRow(
      {
        node: '10.5.0.3',
        ok: true,
        value: overview({
          failingServices: null,
          load: null,
          failures: [
            { call: 'ServiceList', code: 'UNIMPLEMENTED', message: 'unknown method ServiceList' },
            { call: 'LoadAvg', code: 'UNIMPLEMENTED', message: 'unknown method LoadAvg' },
          ],
        }),
      },
      undefined,
      5,
      4600,
    );
    expect(noServices).toMatchObject({ health: 'unknown', failing: null, load1: null, memoryPercent: 25, cpuPercent: 5 });
    expect(noServices.problem).toBe('Not received: ServiceList (unknown method ServiceList); LoadAvg (unknown method LoadAvg)');
    const noHostname = fleetRow(
      {
        node: '10.5.0.4',
        ok: true,
        value: overview({ hostname: null, machineType: null, failures: [{ call: 'Hostname', code: 'UNIMPLEMENTED', message: 'x' }] }),
      },
      { hostname: 'lab-worker-2', machineType: 'worker' },
      null,
      4600,
    );
    // Readiness and services arrived, so the verdict stands; the name and role come from the node list.
    expect(noHostname).toMatchObject({ health: 'ok', hostname: 'lab-worker-2', role: 'worker', problem: 'Not received: Hostname (x)' });
    const refused = fleetRow(
      { node: '10.5.0.5', ok: false, error: { code: 'PERMISSION_DENIED', message: 'not allowed' } },
      undefined,
      null,
      4600,
    );
    expect(refused.health).toBe('error');
    expect(healthSummary([noHostname])).toEqual({ healthy: true, text: 'The node is healthy' });
    expect(healthSummary([noHostname, noServices, refused])).toEqual({
      healthy: false,
      text: '1 node answered with an error; health unknown on lab-worker-1',
    });
  });

  it('names at most three nodes that need attention, then counts the rest', () => {
    const failing = ['a', 'b', 'c', 'd', 'e'].map((h, i) =>
      fleetRow(
        { node: `10.5.0.${i + 2}`, ok: true, value: overview({ hostname: h, failingServices: ['kubelet'] }) },
        undefined,
        null,
        4600,
      ),
    );
    expect(healthSummary(failing).text).toBe(
      'a: 1 service failing: kubelet; b: 1 service failing: kubelet; c: 1 service failing: kubelet; 2 more nodes need attention',
    );
    expect(healthSummary([])).toEqual({ healthy: false, text: 'Waiting for the first answer…' });
  });
});
