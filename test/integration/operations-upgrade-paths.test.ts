import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import type { Operation, OperationAction } from '../../shared/domain/operation';
import type { Services } from '../../electron/services';
import { startServicesWithLab, type ServicesWithLab } from '../helpers/services-with-lab';
import type { Lab } from '../../lab/cluster';
import { imagesOf } from '../../lab/model/images';
import { timings } from '../../lab/server/lifecycle';
import { pullTimings } from '../../lab/server/image-service';

/**
 * Upgrades as talosctl makes them: ImageService/Pull, LifecycleService/Upgrade and Reboot on nodes newer than
 * v1.13.0-alpha.2, the legacy MachineService/Upgrade on older ones (and when a node answers UNIMPLEMENTED).
 */

let host: ServicesWithLab;
let services: Services;

const call = <C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> => host.call(channel, request);

const lab = (): Lab => services.lab.current()!;
const upgradeTo = (tag: string): OperationAction => ({
  kind: 'upgrade',
  image: `ghcr.io/siderolabs/installer:${tag}`,
  stage: false,
  force: false,
  preserve: false,
  rebootMode: 'default',
});
const planOf = (node: string, action: OperationAction) =>
  call('operations.plan', { identityId: 'practice:admin@lab', nodes: [node], action, workerBatchSize: 1, gateTimeoutSeconds: 20 });

async function run(planId: string): Promise<Operation> {
  const started = await call('operations.start', { planId, clusterName: null, quorumOverride: null });
  await services.operations.finished(started.id);
  return services.operations.list().find((o) => o.id === started.id)!;
}

/** Acting on a node right after its boot is refused (LOCKED) until MachineStatus says running. */
async function running(node: string): Promise<void> {
  const n = lab().node(node);
  for (let waited = 0; !(n.reachable && n.sequence === null && n.ready); waited += 50) {
    if (waited > 30_000) throw new Error(`${node} did not reach stage running within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sentEntry = async (op: Operation) =>
  (await services.audit.entries()).find((e) => e.operation === op.id && e.step?.endsWith(': upgrade sent'))!;

beforeAll(async () => {
  timings.stepMs = 20;
  timings.rebootDowntimeMs = 300;
  pullTimings.stepMs = 5;
  host = await startServicesWithLab('upgrade-paths', { nodes: 3, controlPlanes: 1 });
  services = host.services;
  await Promise.all(['10.5.0.3', '10.5.0.4'].map(running));
});
afterAll(async () => host?.stop());

describe('upgrade paths', () => {
  it('a v1.13.9 node: ImageService/Pull, LifecycleService/Upgrade (no sequence), then a Reboot whose actor the step follows', async () => {
    const plan = await planOf('10.5.0.3', upgradeTo('v1.14.0'));
    const step = plan.steps[0]!;
    expect(step.upgradePath).toEqual({ kind: 'current', why: 'the node runs v1.13.9, newer than v1.13.0-alpha.2' });
    expect(step.method).toBe('/machine.ImageService/Pull → /machine.LifecycleService/Upgrade → /machine.MachineService/Reboot');
    expect(step.talosctl).toBe(
      "talosctl --context 'practice admin@lab' -n 10.5.0.3 upgrade --image ghcr.io/siderolabs/installer:v1.14.0  # ImageService/Pull, LifecycleService/Upgrade, then Reboot",
    );
    expect(step.gates.map((g) => g.id)).toEqual(['down', 'boot', 'version', 'services', 'ready']);

    const op = await run(plan.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    const done = op.steps[0]!;
    expect(done.talosctl).toBe(step.talosctl);
    expect(done.gates.find((g) => g.id === 'version')!.detail).toBe('runs v1.14.0');
    expect(lab().node('10.5.0.3').talosVersion).toBe('v1.14.0');
    // The installer went into the system containerd, as talosctl upgrade's default --namespace system puts it.
    expect(imagesOf(lab().node('10.5.0.3'), 'system').map((i) => i.name)).toContain('ghcr.io/siderolabs/installer:v1.14.0');
    const reports = done.reports;
    const at = (pattern: RegExp) => reports.findIndex((r) => pattern.test(r));
    expect(at(/^ImageService\/Pull ghcr\.io\/siderolabs\/installer:v1\.14\.0/)).toBe(0);
    expect(at(/^pulled ghcr\.io\/siderolabs\/installer@sha256:[0-9a-f]{64}$/)).toBeGreaterThan(0);
    expect(at(/^installer: running installer ghcr\.io\/siderolabs\/installer:v1\.14\.0$/)).toBeGreaterThan(at(/^pulled /));
    expect(at(/^installer: v1\.14\.0 installed; it runs after the next reboot$/)).toBeGreaterThan(at(/^installer: running/));
    // No upgrade sequence: the node only ran the reboot sequence the Reboot call started.
    expect(at(/^sequence reboot started$/)).toBeGreaterThan(at(/installed; it runs after/));
    expect(reports.some((r) => /sequence upgrade/.test(r))).toBe(false);
    const sent = await sentEntry(op);
    expect(sent.outcomes[0]).toMatchObject({ ok: true, message: expect.stringMatching(/LifecycleService\/Upgrade\); reboot requested$/) });
    expect(sent.outcomes[0]!.actorId).toBe(done.actorId);
    expect(done.actorId).toMatch(/.+/);
  });

  it('a v1.12.6 node (no LifecycleService): the legacy MachineService/Upgrade and its upgrade sequence', async () => {
    const node = lab().node('10.5.0.4');
    node.talosVersion = 'v1.12.6';
    // As a Talos of that age answers: the service is not there at all.
    expect(await call('images.list', { identityId: 'practice:admin@lab', nodes: ['10.5.0.4'], store: 'system' })).toEqual([
      {
        node: '10.5.0.4',
        ok: false,
        error: expect.objectContaining({ code: 'UNIMPLEMENTED', message: expect.stringMatching(/unknown service machine\.ImageService/) }),
      },
    ]);
    const plan = await planOf('10.5.0.4', upgradeTo('v1.13.10'));
    const step = plan.steps[0]!;
    expect(step.upgradePath).toEqual({
      kind: 'legacy',
      why: 'the node runs v1.12.6, which has no LifecycleService (it came after v1.13.0-alpha.2)',
    });
    expect(step.method).toBe('/machine.MachineService/Upgrade');
    expect(step.talosctl).toMatch(/ upgrade --image ghcr\.io\/siderolabs\/installer:v1\.13\.10 {2}# legacy MachineService\/Upgrade$/);

    const op = await run(plan.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(node.talosVersion).toBe('v1.13.10');
    const reports = op.steps[0]!.reports;
    expect(reports).toContain('sequence upgrade started');
    expect(reports).toContain('upgrade › upgrade › upgrade');
    expect(reports.some((r) => /ImageService|installer:/.test(r))).toBe(false);
    expect((await sentEntry(op)).outcomes[0]!.message).toBe('Upgrade request received (legacy MachineService/Upgrade)');
  });

  it('options only the legacy call has (--stage, --preserve) keep a current node on the legacy path', async () => {
    await running('10.5.0.3');
    const plan = await planOf('10.5.0.3', { ...upgradeTo('v1.14.1'), stage: true, preserve: true } as OperationAction);
    expect(plan.steps[0]!.upgradePath).toEqual({
      kind: 'legacy',
      why: '--stage, --preserve are options of the legacy MachineService/Upgrade only',
    });
    expect(plan.steps[0]!.talosctl).toMatch(/ --stage --preserve {2}# legacy MachineService\/Upgrade$/);
  });

  it('a node that answers UNIMPLEMENTED to the current path gets the legacy call, as talosctl falls back', async () => {
    await running('10.5.0.3');
    const node = lab().node('10.5.0.3');
    const plan = await planOf('10.5.0.3', upgradeTo('v1.14.1'));
    expect(plan.steps[0]!.upgradePath!.kind).toBe('current');
    node.faults.missingMethods.add('Pull');
    try {
      const op = await run(plan.id);
      expect(op.state, op.reason ?? '').toBe('succeeded');
      const reports = op.steps[0]!.reports;
      expect(reports).toContainEqual(
        expect.stringMatching(
          /^10\.5\.0\.3 answered UNIMPLEMENTED \(.*unknown method Pull.*\): falling back to the legacy MachineService\/Upgrade$/,
        ),
      );
      expect(reports).toContain('sequence upgrade started');
      expect(node.talosVersion).toBe('v1.14.1');
    } finally {
      node.faults.missingMethods.delete('Pull');
    }
  });
});
