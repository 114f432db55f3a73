import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startLab, type Lab } from '../../lab/cluster';
import { SCENARIO_KINDS, parseScenarioArg } from '../../lab/scenarios';
import type { TalosClient } from '../../electron/talos/client';
import { labClient } from '../helpers/lab-identity';

const CP = '10.5.0.2';
const W1 = '10.5.0.3';
const W2 = '10.5.0.4';
const ALL = [CP, W1, W2];
const RESTART = 'Error running Containerd(kubelet), going to restart forever: task "kubelet" failed: exit code 1';

const open: { lab: Lab; clients: TalosClient[] }[] = [];
async function lab(scenarios: Parameters<typeof startLab>[0] = {}) {
  const l = await startLab({ nodes: 3, seed: 8, ...scenarios });
  const reader = labClient(l, 'reader');
  const admin = labClient(l, 'admin');
  open.push({ lab: l, clients: [reader, admin] });
  return { lab: l, reader, admin };
}
afterEach(async () => {
  for (const { lab: l, clients } of open.splice(0)) {
    for (const c of clients) c.close();
    await l.stop();
  }
});
afterAll(async () => undefined);

async function dmesg(client: TalosClient, node: string): Promise<string[]> {
  const records: string[] = [];
  await client.dmesg(node, { follow: false, tail: false }, (lines) => records.push(...lines));
  return records;
}

async function logLines(client: TalosClient, node: string, id: string): Promise<string[]> {
  const lines: string[] = [];
  await client.logs(node, { namespace: 'system', id, follow: false, tailLines: -1 }, (l) => lines.push(...l));
  return lines;
}

/** The config with what differs per node by design (hostname, addresses) taken out. */
function structural(config: string, hostname: string, ip: string): string {
  return config.replaceAll(hostname, '<hostname>').replaceAll(ip, '<ip>');
}

describe('practice scenarios', () => {
  it('a healthy lab shows none of the scenarios’ evidence', async () => {
    const { reader, admin } = await lab();
    for (const node of ALL) {
      expect(await reader.evidence.machineStatus(node)).toEqual({ stage: 'running', ready: true, unmetConditions: [] });
      expect((await reader.evidence.timeStatus(node)).synced).toBe(true);
      expect((await reader.evidence.nodeStatuses(node))[0]!.nodeReady).toBe(true);
      const services = await reader.services(node);
      expect(services.filter((s) => s.events.some((e) => /going to restart/.test(e.msg)))).toEqual([]);
      const v = (await reader.mounts(node)).find((m) => m.mountedOn === '/var')!;
      expect(v.availableBytes / v.sizeBytes).toBeGreaterThan(0.4);
      expect((await dmesg(reader, node)).filter((r) => /oom|Out of memory/i.test(r))).toEqual([]);
      expect((await logLines(reader, node, 'kubelet')).filter((l) => /PLEG|register node|attempting to reclaim/.test(l))).toEqual([]);
    }
    expect(await reader.etcdAlarms(CP)).toEqual([]);
    const w1 = (await admin.getResource(W1, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1')).spec as string;
    const w2 = (await admin.getResource(W2, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1')).spec as string;
    expect(structural(w2, 'lab-worker-2', W2)).toBe(structural(w1, 'lab-worker-1', W1));
  });

  it('crashloop: kubelet restarts every 15 s with Talos’ restart-runner events, in ServiceList, Events and its log', async () => {
    const { reader } = await lab({ scenarios: ['crashloop'] });
    const kubelet = (await reader.services(W1)).find((s) => s.id === 'kubelet')!;
    expect(kubelet.state).toBe('Waiting');
    expect(kubelet.lastEvent).toBe(RESTART);
    const tenMinutesAgo = Date.now() - 600_000;
    const restarts = kubelet.events.filter((e) => e.state === 'Waiting' && e.msg === RESTART && Date.parse(e.ts!) >= tenMinutesAgo - 1000);
    expect(restarts.length).toBeGreaterThanOrEqual(30);
    expect(kubelet.events.length).toBe(64);
    expect(
      kubelet.events.some((e) => e.state === 'Running' && /^Started task kubelet \(PID \d+\) for container kubelet$/.test(e.msg)),
    ).toBe(true);
    const times = kubelet.events.map((e) => Date.parse(e.ts!));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(await reader.evidence.machineStatus(W1)).toEqual({
      stage: 'running',
      ready: false,
      unmetConditions: [{ name: 'services', reason: 'kubelet not running, kubelet not running' }],
    });
    const events: string[] = [];
    await reader
      .events(W1, { tailEvents: -1 }, (e) => e.type === 'ServiceStateEvent' && events.push(e.summary), AbortSignal.timeout(500))
      .catch(() => undefined);
    expect(events.filter((e) => e.startsWith('kubelet: Waiting') && e.includes('going to restart forever')).length).toBeGreaterThanOrEqual(
      30,
    );
    const log = await logLines(reader, W1, 'kubelet');
    expect(log.filter((l) => l.includes('"msg":"Failed to run kubelet"')).length).toBeGreaterThanOrEqual(30);
    expect(await reader.evidence.machineStatus(W2)).toMatchObject({ ready: true });
  });

  it('crashloop=SERVICE@NODE picks the service and the node', async () => {
    expect(parseScenarioArg('crashloop=ext-iscsid@lab-worker-2')).toEqual({
      kind: 'crashloop',
      service: 'ext-iscsid',
      node: 'lab-worker-2',
    });
    expect(() => parseScenarioArg('disk-full=kubelet')).toThrow(/only crashloop takes =SERVICE/);
    expect(() => parseScenarioArg('meltdown')).toThrow(/KIND one of crashloop, etcd-nospace/);
    const { reader } = await lab({ scenarios: [{ kind: 'crashloop', service: 'ext-iscsid', node: 'lab-worker-2' }] });
    const iscsid = (await reader.services(W2)).find((s) => s.id === 'ext-iscsid')!;
    expect(iscsid.lastEvent).toBe('Error running Containerd(ext-iscsid), going to restart forever: task "ext-iscsid" failed: exit code 1');
  });

  it('etcd-nospace: NOSPACE alarm on every control plane, DB at the 2 GiB quota, refused writes logged', async () => {
    const { lab: l, reader } = await lab({ nodes: 5, controlPlanes: 3, scenarios: ['etcd-nospace'] });
    const member = l.node(CP).etcdMemberId;
    const hex = BigInt(member).toString(16).padStart(16, '0');
    for (const node of [CP, '10.5.0.3', '10.5.0.4']) {
      expect(await reader.etcdAlarms(node)).toEqual([{ memberId: hex, alarm: 'NOSPACE' }]);
      const status = (await reader.etcdStatus(node))!;
      expect(status.dbSize).toBeGreaterThanOrEqual(2 * 1024 ** 3);
      expect(status.dbSizeInUse).toBeLessThan(status.dbSize / 2);
      expect(status.errors).toEqual([`memberID:${member} alarm:NOSPACE `]);
    }
    expect((await logLines(reader, CP, 'etcd')).some((l) => l.includes('"msg":"alarm raised"') && l.includes('"alarm":"NOSPACE"'))).toBe(
      true,
    );
    // The fix (defragment every member, then disarm) clears it.
    for (const m of l.etcd.members) l.etcd.defragment(m.node);
    expect(l.etcd.disarmAll()).toEqual([{ memberId: member, alarm: 'NOSPACE' }]);
    expect(await reader.etcdAlarms(CP)).toEqual([]);
    expect((await reader.etcdStatus(CP))!.dbSize).toBeLessThan(1024 ** 3);
  });

  it('time-unsynced: TimeStatus synced=false, MachineStatus unmet time, the clock 47 s ahead of the time server', async () => {
    const { reader } = await lab({ scenarios: ['time-unsynced'] });
    expect(await reader.evidence.timeStatus(W1)).toEqual({ synced: false, epoch: 1, syncDisabled: false });
    expect(await reader.evidence.machineStatus(W1)).toEqual({
      stage: 'running',
      ready: false,
      unmetConditions: [{ name: 'time', reason: 'time is not synced' }],
    });
    const check = await reader.timeCheck(W1, 'time.cloudflare.com');
    expect(Date.parse(check.localtime!) - Date.parse(check.remotetime!)).toBeGreaterThan(45_000);
    expect(
      (await logLines(reader, W1, 'controller-runtime')).some((l) => l.includes('time.SyncController') && l.includes('i/o timeout')),
    ).toBe(true);
  });

  it('disk-full: /var nearly full in Mounts and the kubelet evicting for ephemeral storage', async () => {
    const { reader } = await lab({ scenarios: ['disk-full'] });
    const v = (await reader.mounts(W1)).find((m) => m.mountedOn === '/var')!;
    expect(1 - v.availableBytes / v.sizeBytes).toBeGreaterThan(0.98);
    expect(
      (await logLines(reader, W1, 'kubelet')).some((l) => l.includes('attempting to reclaim') && l.includes('ephemeral-storage')),
    ).toBe(true);
  });

  it('not-ready: NodeStatus nodeReady=false, MachineStatus unmet nodeReady, PLEG in the kubelet log', async () => {
    const { reader } = await lab({ scenarios: ['not-ready'] });
    expect((await reader.evidence.nodeStatuses(W1))[0]).toMatchObject({ nodename: 'lab-worker-1', nodeReady: false });
    expect(await reader.evidence.machineStatus(W1)).toEqual({
      stage: 'running',
      ready: false,
      unmetConditions: [{ name: 'nodeReady', reason: 'node "lab-worker-1" is not ready' }],
    });
    expect((await logLines(reader, W1, 'kubelet')).some((l) => l.includes('PLEG is not healthy'))).toBe(true);
  });

  it('kernel-oom: OOM killer lines in dmesg at their kernel priorities, memory nearly exhausted', async () => {
    const { reader } = await lab({ scenarios: ['kernel-oom'] });
    const records = await dmesg(reader, W1);
    const kills = records.filter((r) => /^kern: {5}err: \[[^\]]+\]: Out of memory: Killed process \d+ \(java\)/.test(r));
    expect(kills).toHaveLength(2);
    expect(records.some((r) => /^kern: warning: \[[^\]]+\]: java invoked oom-killer: /.test(r))).toBe(true);
    expect(records.some((r) => /oom_reaper: reaped process/.test(r))).toBe(true);
    const memory = await reader.memory(W1);
    expect(memory.availableMb / memory.totalMb).toBeLessThan(0.1);
  });

  it('drift: one worker’s config has a sysctl and a kubelet flag the other lacks; the CLI form and errors are clear', async () => {
    const { admin } = await lab({ scenarios: ['drift'] });
    const configOf = async (node: string) =>
      parse(
        ((await admin.getResource(node, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1')).spec as string).split(/^---$/m)[0]!,
      ) as {
        machine: { sysctls?: Record<string, string>; kubelet: { extraArgs?: Record<string, string> } };
      };
    const w2 = await configOf(W2);
    expect(w2.machine.sysctls).toEqual({ 'net.core.somaxconn': '65535', 'vm.max_map_count': '262144' });
    expect(w2.machine.kubelet.extraArgs).toEqual({ 'max-pods': '250' });
    expect((await configOf(W1)).machine.sysctls).toBeUndefined();
    const persistent = (await admin.getResource(W2, 'config', 'MachineConfigs.config.talos.dev', 'persistent')).spec as string;
    expect(persistent).toContain('net.core.somaxconn');
    await expect(startLab({ nodes: 2, scenarios: ['drift'] })).rejects.toThrow(/drift needs two nodes of one role/);
  });

  it('stages on a running lab and heals on clear', async () => {
    const { lab: l, reader } = await lab();
    const staged = l.stage({ kind: 'not-ready', node: 'lab-worker-2' });
    expect(staged).toMatchObject({ kind: 'not-ready', node: { ip: W2, hostname: 'lab-worker-2' } });
    expect(staged.evidence).toContain('get nodestatus');
    expect((await reader.evidence.machineStatus(W2)).ready).toBe(false);
    l.stage('time-unsynced');
    expect(l.scenarios().map((s) => s.kind)).toEqual(['not-ready', 'time-unsynced']);
    l.clearScenarios();
    expect(l.scenarios()).toEqual([]);
    expect((await reader.evidence.machineStatus(W2)).ready).toBe(true);
    expect((await reader.evidence.machineStatus(W1)).ready).toBe(true);
    expect(() => l.stage({ kind: 'crashloop', node: 'nowhere' })).toThrow(/no lab node "nowhere"/);
    expect(SCENARIO_KINDS).toHaveLength(7);
  });
});
