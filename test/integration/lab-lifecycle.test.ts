import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/cluster';
import { parseFaultArg } from '../../lab/faults';
import { phasesOf } from '../../lab/server/sequences';
import { timings } from '../../lab/server/lifecycle';
import { installUpgrade, lifecycleCalls } from '../../electron/talos/calls/lifecycle';
import type { TalosClient } from '../../electron/talos/client';
import type { TalosEvent } from '../../shared/domain/talos';
import { labClient } from '../helpers/lab-identity';

let lab: Lab;
let admin: TalosClient;
let reader: TalosClient;
const [CP1, CP2, CP3, W1, W2] = ['10.5.0.2', '10.5.0.3', '10.5.0.4', '10.5.0.5', '10.5.0.6'];

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  lab = await startLab({ nodes: 5, controlPlanes: 3, seed: 17 });
  admin = labClient(lab, 'admin');
  reader = labClient(lab, 'reader');
});
afterAll(async () => {
  admin.close();
  reader.close();
  await lab.stop();
});

/** Follows a node's events until its stream drops (the machine went dark), or for `settleMs` after `act` if given. */
async function eventsUntilDark(node: string, act: () => Promise<unknown>, settleMs?: number): Promise<TalosEvent[]> {
  const seen: TalosEvent[] = [];
  const abort = new AbortController();
  const done = admin.events(node, { tailEvents: 0 }, (e) => seen.push(e), abort.signal).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  await act();
  if (settleMs !== undefined) setTimeout(() => abort.abort(), settleMs);
  await done;
  return seen;
}

const bootId = async (node: string) => (await admin.read(node, '/proc/sys/kernel/random/boot_id')).toString().trim();
const answering = (node: string) =>
  reader.version(node).then(
    () => true,
    () => false,
  );
async function backUp(node: string, oldBootId: string): Promise<void> {
  await expect.poll(() => bootId(node).catch(() => oldBootId), { timeout: 15_000 }).not.toBe(oldBootId);
  await expect.poll(async () => (await reader.evidence.machineStatus(node).catch(() => null))?.stage, { timeout: 15_000 }).toBe('running');
}
const line = (e: TalosEvent) => {
  const d = e.data as Record<string, string>;
  if (e.type === 'SequenceEvent') return `seq ${d.sequence} ${d.action}${d.error ? ` ${d.error}` : ''}`;
  if (e.type === 'PhaseEvent') return `phase ${d.phase} ${d.action}`;
  if (e.type === 'TaskEvent') return `task ${d.task} ${d.action}`;
  return e.type;
};

describe('reboot, shutdown and upgrade sequences as Talos emits them', () => {
  it('reboot: sequence, phases and tasks in Talos’ order with the actor id until apid stops, then a new boot', async () => {
    const before = await bootId(W1);
    let actorId = '';
    const seen = await eventsUntilDark(W1, async () => (actorId = await admin.reboot(W1)));
    const sequence = seen.filter((e) => ['SequenceEvent', 'PhaseEvent', 'TaskEvent'].includes(e.type));
    expect(sequence.every((e) => e.actorId === actorId)).toBe(true);
    // Talos' reboot sequence: cleanup, dbus, the stop list with kexec, then reboot.
    expect(phasesOf('reboot')).toEqual([
      ['cleanup', 'stopAllPods'],
      ['dbus', 'stopDBus'],
      ['denyNewServices', 'denyNewServices'],
      ['stopServices', 'stopServicesForUpgrade'],
      ['umount', 'unmountPodMounts'],
      ['unmountBind', 'unmountSystemDiskBindMounts'],
      ['unmountPromotable', 'unmountPromotableSystemPartitions'],
      ['unmountSystem', 'unmountEphemeralPartition'],
      ['volumeFinalize', 'teardownLifecycle'],
      ['stopEverything', 'stopAllServices'],
      ['kexec', 'kexecPrepare'],
      ['reboot', 'reboot'],
    ]);
    expect(phasesOf('shutdown').map(([p]) => p)).toEqual([
      'storeShutdown',
      'cleanup',
      'dbus',
      'denyNewServices',
      'stopServices',
      'umount',
      'unmountBind',
      'unmountPromotable',
      'unmountSystem',
      'volumeFinalize',
      'stopEverything',
      'shutdown',
    ]);
    const expected = ['seq reboot start'];
    for (const [phase, task] of phasesOf('reboot').slice(0, -2))
      expected.push(`phase ${phase} start`, `task ${task} start`, `task ${task} stop`, `phase ${phase} stop`);
    // The stream ends when apid stops (stopAllServices); what follows is lost with the in-memory ring.
    expect(sequence.map(line)).toEqual(expected.slice(0, sequence.length));
    expect(sequence.map(line)).toContain('task stopAllServices start');
    const stages = seen.filter((e) => e.type === 'MachineStatusEvent');
    expect(stages.map((e) => [(e.data as { stage: string }).stage, e.actorId])).toContainEqual(['rebooting', '']);
    expect(seen.some((e) => e.type === 'ServiceStateEvent' && e.actorId === actorId && e.summary.startsWith('kubelet: Stopping'))).toBe(
      true,
    );
    await backUp(W1, before);
    // The new boot's own history: initialize, install, boot, no actor id, and running + ready at the end.
    const boot: TalosEvent[] = [];
    await reader.events(W1, { tailEvents: -1 }, (e) => boot.push(e), AbortSignal.timeout(400)).catch(() => undefined);
    const seqs = boot.filter((e) => e.type === 'SequenceEvent').map(line);
    expect(seqs).toEqual([
      'seq initialize start',
      'seq initialize stop',
      'seq install start',
      'seq install stop',
      'seq boot start',
      'seq boot stop',
    ]);
    expect(boot.every((e) => e.actorId === '')).toBe(true);
    expect(
      boot
        .filter((e) => e.type === 'PhaseEvent' && (e.data as { action: string }).action === 'start')
        .map((e) => (e.data as { phase: string }).phase),
    ).toEqual([
      'systemRequirements',
      'earlyServices',
      'usb',
      'meta',
      'config',
      'memorySizeCheck',
      'diskSizeCheck',
      'env',
      'dbus',
      'ephemeral',
      'promotableVolumes',
      'userDisks',
      'userSetup',
      'startEverything',
    ]);
    const last = boot.filter((e) => e.type === 'MachineStatusEvent').at(-1)!;
    expect(last.data).toMatchObject({ stage: 'running', ready: true });
  });

  it('reboot --mode force: only the reboot phase, the RestartEvent, then STOP and NOOP FATAL unix.Reboot as Talos ends it', async () => {
    const before = await bootId(W2);
    let actorId = '';
    const seen = await eventsUntilDark(W2, async () => (actorId = await lifecycleCalls(admin.connection).reboot(W2, 'force')));
    const own = seen.filter((e) => e.actorId === actorId);
    expect(own.map(line)).toEqual([
      'seq reboot start',
      'phase reboot start',
      'task reboot start',
      'RestartEvent',
      'task reboot stop',
      'phase reboot stop',
      'seq reboot stop',
      'seq reboot noop sequence failed: error running phase 1 in reboot sequence: task 1/1: failed, unix.Reboot(1234567)',
    ]);
    expect(own.find((e) => e.type === 'RestartEvent')!.data).toEqual({ cmd: '19088743', how: 'restart' });
    await backUp(W2, before);
  });

  it('a second request while a sequence runs is refused with NOOP LOCKED', async () => {
    const seen = await eventsUntilDark(W2, async () => {
      await admin.reboot(W2);
      const second = await admin.reboot(W2);
      expect(second).toBeTruthy();
    });
    expect(seen.map(line)).toContain('seq reboot noop sequence not started: locked');
    await backUp(W2, '');
  });

  it('while the node still boots, a reboot is refused with LOCKED and a shutdown takes over, cancelling the boot', async () => {
    const step = timings.stepMs;
    // Slower service starts leave a window of about a second between apid answering and the boot sequence ending.
    timings.stepMs = 150;
    try {
      const before = await bootId(W2);
      await admin.reboot(W2);
      await expect.poll(() => bootId(W2).catch(() => before), { timeout: 15_000, interval: 20 }).not.toBe(before);
      const seen: TalosEvent[] = [];
      const abort = new AbortController();
      const done = admin.events(W2, { tailEvents: 0 }, (e) => seen.push(e), abort.signal).catch(() => undefined);
      await admin.reboot(W2);
      timings.stepMs = step;
      const shutdownActor = await admin.shutdown(W2);
      await done;
      const lines = seen.map(line);
      expect(lines).toContain('seq reboot noop sequence not started: locked');
      expect(lines).toContain('seq boot noop sequence failed: context canceled');
      expect(lines.indexOf('seq boot noop sequence failed: context canceled')).toBeLessThan(lines.indexOf('seq shutdown start'));
      expect(seen.filter((e) => e.actorId === shutdownActor).map(line)[0]).toBe('seq shutdown start');
      expect(lines).not.toContain('seq boot stop');
      await new Promise((r) => setTimeout(r, timings.rebootDowntimeMs + 500));
      expect(await answering(W2)).toBe(false);
    } finally {
      timings.stepMs = step;
    }
    lab.powerOn(W2);
    await backUp(W2, '');
  });

  it('upgrade (legacy): the upgrade sequence, stage upgrading then rebooting, and the new version after the reboot everywhere', async () => {
    const before = await bootId(W1);
    const seen = await eventsUntilDark(W1, () => admin.upgrade(W1, 'ghcr.io/siderolabs/installer:v1.14.0'));
    expect(seen.filter((e) => e.type === 'SequenceEvent').map(line)[0]).toBe('seq upgrade start');
    expect(
      seen
        .filter((e) => e.type === 'PhaseEvent' && (e.data as { action: string }).action === 'start')
        .map((e) => (e.data as { phase: string }).phase),
    ).toEqual([
      'denyNewServices',
      'cleanup',
      'dbus',
      'stopServices',
      'unmount',
      'unmountBind',
      'unmountPromotable',
      'unmountSystem',
      'volumeFinalize',
      'upgrade',
      'meta',
      'kexec',
      'stopEverything',
    ]);
    const stages = seen.filter((e) => e.type === 'MachineStatusEvent').map((e) => (e.data as { stage: string }).stage);
    expect(stages).toEqual(['upgrading', 'rebooting']);
    await backUp(W1, before);
    expect((await reader.version(W1)).tag).toBe('v1.14.0');
    for (const node of [CP1, W2]) {
      const member = (await reader.evidence.clusterMembers(node)).find((m) => m.hostname === 'lab-worker-1')!;
      expect(member.operatingSystem).toBe('Talos (v1.14.0)');
    }
    expect((await reader.getResource(W1, 'runtime', 'Versions.runtime.talos.dev', 'version')).spec).toMatchObject({ version: 'v1.14.0' });
  });

  it('upgrade --stage reboots with stageUpgrade and installs on the way up; a control plane checks etcd unless forced', async () => {
    const before = await bootId(W2);
    const seen = await eventsUntilDark(W2, () =>
      lifecycleCalls(admin.connection).upgrade(W2, {
        image: 'ghcr.io/siderolabs/installer:v1.14.1',
        stage: true,
        force: false,
        preserve: true,
        rebootMode: 'powercycle',
      }),
    );
    expect(seen.filter((e) => e.type === 'SequenceEvent').map(line)[0]).toBe('seq stageUpgrade start');
    await backUp(W2, before);
    expect((await reader.version(W2)).tag).toBe('v1.14.1');

    lab.injectFault({ node: CP3, kind: 'etcd-no-leader', now: true });
    try {
      await expect(admin.upgrade(CP1, 'ghcr.io/siderolabs/installer:v1.14.1')).rejects.toThrow(
        /error validating etcd for upgrade: etcd member [0-9a-f]{16} is not healthy; all members must be healthy/,
      );
    } finally {
      lab.clearFaults(CP3);
    }
  });

  it('LifecycleService/Upgrade installs a pulled image with progress and no sequence; Reboot then runs it', async () => {
    const image = 'ghcr.io/siderolabs/installer:v1.14.2';
    await expect(installUpgrade(admin.connection, W1, image)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await admin.images.pull(W1, 'system', image);
    await expect(installUpgrade(reader.connection, W1, image)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const messages: string[] = [];
    const seen = await eventsUntilDark(
      W1,
      async () => {
        const result = await installUpgrade(admin.connection, W1, image, { onMessage: (m) => messages.push(m) });
        expect(result.exitCode).toBe(0);
      },
      300,
    );
    expect(seen.filter((e) => e.type === 'SequenceEvent')).toEqual([]);
    expect(messages[0]).toBe(`running installer ${image}`);
    expect(messages.at(-1)).toBe('v1.14.2 installed; it runs after the next reboot');
    expect(await reader.evidence.machineStatus(W1)).toMatchObject({ stage: 'running', ready: true });
    expect((await reader.version(W1)).tag).toBe('v1.14.0');
    const before = await bootId(W1);
    await admin.reboot(W1);
    await backUp(W1, before);
    expect((await reader.version(W1)).tag).toBe('v1.14.2');
  });

  it('shutdown: storeShutdown first, the power-off command, and the machine stays off until powered on', async () => {
    let actorId = '';
    const seen = await eventsUntilDark(W2, async () => (actorId = await admin.shutdown(W2)));
    expect(
      seen
        .filter((e) => e.actorId === actorId)
        .map(line)
        .slice(0, 3),
    ).toEqual(['seq shutdown start', 'phase storeShutdown start', 'task storeShutdown start']);
    expect(seen.filter((e) => e.type === 'MachineStatusEvent').map((e) => (e.data as { stage: string }).stage)).toContain('shutting down');
    await new Promise((r) => setTimeout(r, timings.rebootDowntimeMs + 500));
    expect(await answering(W2)).toBe(false);
    lab.powerOn(W2);
    await expect.poll(() => answering(W2), { timeout: 10_000 }).toBe(true);
  });
});

describe('faults for rolling operations', () => {
  it('never-returns: the node stays dark after its reboot until the fault is cleared', async () => {
    expect(lab.injectFault({ node: 'lab-worker-1', kind: 'never-returns' })).toMatchObject({
      node: { ip: W1, hostname: 'lab-worker-1' },
      kind: 'never-returns',
    });
    const before = await bootId(W1);
    await admin.reboot(W1);
    await expect.poll(() => answering(W1), { timeout: 5000 }).toBe(false);
    await new Promise((r) => setTimeout(r, timings.rebootDowntimeMs * 4));
    expect(await answering(W1)).toBe(false);
    expect(lab.faults()).toEqual([{ node: 'lab-worker-1', kind: 'never-returns', service: 'kubelet', struck: true }]);
    lab.clearFaults('lab-worker-1');
    await backUp(W1, before);
    expect(lab.faults()).toEqual([]);
  });

  it('service-unhealthy: after the reboot kubelet runs but fails its health check; MachineStatus says so', async () => {
    lab.injectFault({ node: W1, kind: 'service-unhealthy', service: 'kubelet' });
    const before = await bootId(W1);
    await admin.reboot(W1);
    await backUp(W1, before);
    await expect.poll(async () => (await reader.services(W1)).find((s) => s.id === 'kubelet')?.health, { timeout: 5000 }).toBe('fail');
    const kubelet = (await reader.services(W1)).find((s) => s.id === 'kubelet')!;
    expect(kubelet.state).toBe('Running');
    expect(kubelet.healthMessage).toBe(
      'Health check failed: Get "http://127.0.0.1:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection refused',
    );
    expect(await reader.evidence.machineStatus(W1)).toEqual({
      stage: 'running',
      ready: false,
      unmetConditions: [{ name: 'services', reason: 'kubelet not healthy' }],
    });
    lab.clearFaults(W1);
    expect((await reader.evidence.machineStatus(W1)).ready).toBe(true);
  });

  it('etcd-no-leader: after its reboot the member sees no leader and etcd is unhealthy; the others keep one', async () => {
    lab.injectFault({ node: CP2, kind: 'etcd-no-leader' });
    const before = await bootId(CP2);
    await admin.reboot(CP2);
    await backUp(CP2, before);
    await expect.poll(async () => (await reader.etcdStatus(CP2))?.leader, { timeout: 5000 }).toBe('0000000000000000');
    const others = await reader.etcdStatus(CP3);
    expect(others!.leader).not.toBe('0000000000000000');
    await expect
      .poll(async () => (await reader.evidence.machineStatus(CP2)).unmetConditions, { timeout: 5000 })
      .toEqual([{ name: 'services', reason: 'etcd not healthy' }]);
    expect(await reader.evidence.localEtcdMember(CP2)).toBeNull();
    lab.clearFaults(CP2);
    expect((await reader.etcdStatus(CP2))!.leader).toBe(others!.leader);
  });

  it('strikes at once with now, refuses faults that cannot apply, and parses --fault', async () => {
    lab.injectFault({ node: W2, kind: 'service-unhealthy', service: 'containerd', now: true });
    expect((await reader.services(W2)).find((s) => s.id === 'containerd')).toMatchObject({ state: 'Running', health: 'fail' });
    lab.clearFaults();
    expect((await reader.services(W2)).find((s) => s.id === 'containerd')!.health).toBe('ok');
    expect(() => lab.injectFault({ node: W1, kind: 'etcd-no-leader' })).toThrow(/needs a control plane/);
    expect(() => lab.injectFault({ node: W1, kind: 'service-unhealthy', service: 'dashboard' })).toThrow(
      /no service "dashboard" with a health check/,
    );
    expect(() => lab.injectFault({ node: 'nowhere', kind: 'never-returns' })).toThrow(/no lab node "nowhere"/);
    expect(parseFaultArg('lab-worker-1:service-unhealthy=etcd')).toEqual({
      node: 'lab-worker-1',
      kind: 'service-unhealthy',
      service: 'etcd',
    });
    expect(parseFaultArg('10.5.0.3:never-returns')).toEqual({ node: '10.5.0.3', kind: 'never-returns' });
    expect(() => parseFaultArg('10.5.0.3:meteor')).toThrow(
      /NODE:KIND\[=SERVICE\] with KIND one of never-returns, service-unhealthy, etcd-no-leader/,
    );
    expect(() => parseFaultArg('10.5.0.3:never-returns=kubelet')).toThrow(/only service-unhealthy takes =SERVICE/);
  });
});
