import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import type { Operation, OperationAction } from '../../shared/domain/operation';
import type { Services } from '../../electron/services';
import { startServicesWithLab, type ServicesWithLab } from '../helpers/services-with-lab';
import type { Lab } from '../../lab/cluster';
import { timings } from '../../lab/server/lifecycle';
import { REBOOT_CMD } from '../../lab/server/sequences';

/** `talosctl reboot --mode force` and `--mode powercycle` as rolling operations over mTLS against the lab. */

let host: ServicesWithLab;
let services: Services;

const call = <C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> => host.call(channel, request);

const lab = (): Lab => services.lab.current()!;

async function rebootWith(node: string, mode: 'force' | 'powercycle') {
  const action: OperationAction = { kind: 'reboot', mode };
  const plan = await call('operations.plan', {
    identityId: 'practice:admin@lab',
    nodes: [node],
    action,
    workerBatchSize: 1,
    gateTimeoutSeconds: 20,
  });
  const started = await call('operations.start', { planId: plan.id, clusterName: null, quorumOverride: null });
  await services.operations.finished(started.id);
  return { plan, op: services.operations.list().find((o) => o.id === started.id)! };
}

/** Acting on a node right after its boot is refused (LOCKED) until MachineStatus says running. */
async function running(node: string): Promise<void> {
  const n = lab().node(node);
  for (let waited = 0; !(n.reachable && n.sequence === null && n.ready); waited += 50) {
    if (waited > 30_000) throw new Error(`${node} did not reach stage running within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sequenceOf = (op: Operation) => op.steps[0]!.reports.filter((r) => r.startsWith('reboot'));

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  host = await startServicesWithLab('reboot-modes', { nodes: 3, controlPlanes: 1 });
  services = host.services;
  await Promise.all(['10.5.0.3', '10.5.0.4'].map(running));
});
afterAll(async () => host?.stop());

describe('reboot modes as operations', () => {
  it('--mode force: the node runs only the reboot phase (no services stopped, no kexec), then passes every gate', async () => {
    const bootId = lab().node('10.5.0.3').bootId;
    const { plan, op } = await rebootWith('10.5.0.3', 'force');
    expect(plan.summary).toMatch(/reboot \(force\)/);
    expect(plan.steps[0]!.talosctl).toBe("talosctl --context 'practice admin@lab' -n 10.5.0.3 reboot --mode force");
    expect(plan.steps[0]!.gates.map((g) => g.id)).toEqual(['down', 'boot', 'services', 'ready']);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(op.steps[0]!.gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(op.steps[0]!.gates[1]!.detail).toMatch(/new boot id/);
    expect(lab().node('10.5.0.3').bootId).not.toBe(bootId);
    // Talos' FORCE reboot skips the graceful stop list: one phase, one task, then the restart.
    expect(sequenceOf(op)).toEqual(['reboot › reboot', 'reboot › reboot › reboot', 'reboot › restart: restart']);
    expect(lab().node('10.5.0.3').lastRestartCmd).toBe(REBOOT_CMD.restart);
    expect(op.steps[0]!.reports).toContain('sequence reboot started');
    expect(op.steps[0]!.reports.some((r) => /stopAllServices|kexecPrepare/.test(r))).toBe(false);
    const sent = (await services.audit.entries()).find((e) => e.operation === op.id && e.step === '10.5.0.3: reboot sent')!;
    expect(sent.outcomes[0]).toMatchObject({ ok: true, actorId: op.steps[0]!.actorId });
  });

  it('--mode powercycle: the full graceful sequence, but the node restarts through the firmware instead of kexec', async () => {
    const bootId = lab().node('10.5.0.4').bootId;
    const { plan, op } = await rebootWith('10.5.0.4', 'powercycle');
    expect(plan.steps[0]!.talosctl).toBe("talosctl --context 'practice admin@lab' -n 10.5.0.4 reboot --mode powercycle");
    expect(plan.steps[0]!.gates.map((g) => g.id)).toEqual(['down', 'boot', 'services', 'ready']);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(op.steps[0]!.gates.every((g) => g.status === 'passed')).toBe(true);
    expect(lab().node('10.5.0.4').bootId).not.toBe(bootId);
    const sequence = sequenceOf(op);
    // Talos' graceful stop list in order; the API goes dark at stopAllServices, so the client sees no further.
    const phases = sequence.filter((r) => r.split(' › ').length === 2).map((r) => r.split(' › ')[1]);
    expect(phases).toEqual([
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
    ]);
    expect(sequence.at(-1)).toBe('reboot › stopEverything › stopAllServices');
    // The node ran kexecPrepare as a no-op and restarted through the firmware, not kexec.
    expect(lab().node('10.5.0.4').lastRestartCmd).toBe(REBOOT_CMD.restart);
  });

  it('a default reboot of the same node ends through kexec, for contrast', async () => {
    await running('10.5.0.4');
    const plan = await call('operations.plan', {
      identityId: 'practice:admin@lab',
      nodes: ['10.5.0.4'],
      action: { kind: 'reboot', mode: 'default' },
      workerBatchSize: 1,
      gateTimeoutSeconds: 20,
    });
    expect(plan.steps[0]!.talosctl).toBe("talosctl --context 'practice admin@lab' -n 10.5.0.4 reboot");
    const started = await call('operations.start', { planId: plan.id, clusterName: null, quorumOverride: null });
    await services.operations.finished(started.id);
    const op = services.operations.list().find((o) => o.id === started.id)!;
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(sequenceOf(op).at(-1)).toBe('reboot › stopEverything › stopAllServices');
    expect(lab().node('10.5.0.4').lastRestartCmd).toBe(REBOOT_CMD.kexec);
  });
});
