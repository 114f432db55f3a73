import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Request, Response } from '../../shared/contract';
import type { Operation, OperationAction } from '../../shared/domain/operation';
import type { Services } from '../../electron/services';
import { startServicesWithLab, type ServicesWithLab } from '../helpers/services-with-lab';
import type { Lab } from '../../lab/cluster';
import { timings } from '../../lab/server/lifecycle';

/** `talosctl patch mc` through the operations engine against the practice cluster over mTLS, and try mode's revert. */
let host: ServicesWithLab;
let services: Services;
const admin = 'practice:admin@lab';

const call = <C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> => host.call(channel, request);

const lab = (): Lab => services.lab.current()!;
const patchOf = (patch: string, mode: 'no-reboot' | 'try' | 'staged' = 'no-reboot', tryTimeoutSeconds = 60): OperationAction => ({
  kind: 'patch-config',
  patch,
  mode,
  tryTimeoutSeconds,
});
const planOf = (nodes: string[], action: OperationAction, identityId = admin) =>
  call('operations.plan', { identityId, nodes, action, workerBatchSize: 1, gateTimeoutSeconds: 30 });

async function run(planId: string): Promise<Operation> {
  const started = await call('operations.start', { planId, clusterName: null, quorumOverride: null });
  await services.operations.finished(started.id);
  return services.operations.list().find((op) => op.id === started.id)!;
}

const sysctl = (value: string) => `machine:\n  sysctls:\n    net.core.somaxconn: "${value}"\n`;

beforeAll(async () => {
  timings.stepMs = 20;
  host = await startServicesWithLab('patch', { nodes: 3, controlPlanes: 1 });
  services = host.services;
});
afterAll(async () => host?.stop());

describe('talosctl patch mc through the plan', () => {
  it('patches each node’s own config: a dry-run diff per node in the plan, then applied and audited by digest', async () => {
    const plan = await planOf(['10.5.0.3', '10.5.0.4'], patchOf(sysctl('32768')));
    expect(plan.blockers).toEqual([]);
    expect(plan.title).toBe('Patch the config (no-reboot) of 2 nodes');
    expect(plan.method).toBe('/machine.MachineService/ApplyConfiguration');
    expect(plan.summary).toBe('patch mc (strategic merge, no-reboot)');
    for (const step of plan.steps) {
      expect(step.talosctl).toBe(`talosctl --context 'practice admin@lab' -n ${step.node} patch mc --patch @patch.yaml --mode no-reboot`);
      expect(step.dryRun).toMatch(
        /^Dry run summary:\nApplied configuration without a reboot \(skipped in dry-run\)\.\nConfig diff:\n\n--- a\n\+\+\+ b\n@@ /,
      );
      expect(step.dryRun).toMatch(/\+\s+net\.core\.somaxconn: "32768"/);
      // Per-node fields are the node's own: the diff touches nothing but the sysctl.
      expect(step.dryRun!.split('\n').filter((l) => /^[+-](?![+-])/.test(l))).toEqual([
        '+    sysctls:',
        '+        net.core.somaxconn: "32768"',
      ]);
    }
    expect(lab().node('10.5.0.3').config.active).not.toContain('somaxconn');

    const op = await run(plan.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    for (const node of ['10.5.0.3', '10.5.0.4']) {
      const config = lab().node(node).config;
      expect(config.active).toContain('net.core.somaxconn: "32768"');
      expect(config.persistent).toBe(config.active);
    }
    expect(lab().node('10.5.0.4').config.active).toContain('hostname: lab-worker-2');
    expect(op.steps[0]!.detail).toMatch(/^patched MachineConfigs\.config\.talos\.dev\/v1alpha1 at the node 10\.5\.0\.3/);
    expect(op.steps[0]!.revertsAt).toBeNull();

    const trail = JSON.stringify(
      await call('audit.list', { from: null, to: null, node: null, identity: null, method: null, outcome: null }),
    );
    expect(trail).toMatch(/\[patch, \d+ bytes, sha256 [0-9a-f]{16}…\]/);
    expect(trail).not.toContain('somaxconn');
  });

  it('says the apply is skipped when the patch changes nothing', async () => {
    const plan = await planOf(['10.5.0.3'], patchOf(sysctl('32768')));
    expect(plan.steps[0]!.dryRun).toBe('Apply was skipped: no changes detected.');
    const op = await run(plan.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    expect(op.steps[0]!.detail).toBe('Apply was skipped: no changes detected.');
  });

  it('refuses what Talos refuses, each with its reason: a JSON Patch on a multi-document config, a missing path to delete, broken YAML', async () => {
    const json = await planOf(['10.5.0.3'], patchOf('[{"op": "remove", "path": "/machine/certSANs"}]'));
    expect(json.summary).toBe('patch mc (JSON Patch, no-reboot)');
    expect(json.blockers).toEqual([
      expect.stringMatching(
        /^The dry run on 10\.5\.0\.3 failed: JSON6902 patches are not supported for multi-document machine configuration\./,
      ),
    ]);
    const missing = await planOf(['10.5.0.3'], patchOf('machine:\n  network:\n    nameservers:\n      $patch: delete\n'));
    expect(missing.blockers).toEqual([
      "The dry run on 10.5.0.3 failed: patch delete: path 'machine.network.nameservers' in document '/v1alpha1': failed to delete path 'machine.network.nameservers': lookup failed",
    ]);
    const result = await host.dispatch('operations.plan', {
      identityId: admin,
      nodes: ['10.5.0.3'],
      action: patchOf('machine: ['),
      workerBatchSize: 1,
      gateTimeoutSeconds: 30,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^The patch is not valid YAML: /) },
    });
  });

  it('deletes a key with $patch: delete', async () => {
    const plan = await planOf(['10.5.0.3'], patchOf('machine:\n  sysctls:\n    $patch: delete\n'));
    expect(plan.steps[0]!.dryRun).toMatch(/-\s+net\.core\.somaxconn: "32768"/);
    expect((await run(plan.id)).state).toBe('succeeded');
    expect(lab().node('10.5.0.3').config.active).not.toContain('somaxconn');
  });

  it('is os:admin only: an operator or reader gets the reason, and no node is asked for a dry run', async () => {
    for (const identityId of ['practice:operator@lab', 'practice:reader@lab']) {
      const plan = await planOf(['10.5.0.3'], patchOf(sysctl('1')), identityId);
      expect(plan.blockers).toEqual([
        expect.stringMatching(/^This identity cannot do this: ApplyConfiguration needs os:admin; this identity has os:/),
      ]);
      expect(plan.steps[0]!.dryRun).toBeNull();
    }
  });
});

describe('--mode try', () => {
  it('applies live only, says when it reverts, and the node reverts then unless the config is applied again without try', async () => {
    const [kept, reverted] = [lab().node('10.5.0.3'), lab().node('10.5.0.4')];
    const before = reverted.config.active;
    const plan = await planOf([reverted.id.ip, kept.id.ip], patchOf(sysctl('4096'), 'try', 10));
    expect(plan.warnings.join(' ')).toMatch(/Try: each node reverts to its previous config 10 s after its step/);
    expect(plan.steps[0]!.talosctl).toMatch(/patch mc --patch @patch\.yaml --mode try --timeout 10s$/);
    const sentAt = Date.now();
    const op = await run(plan.id);
    expect(op.state, op.reason ?? '').toBe('succeeded');
    for (const step of op.steps) {
      expect(step.detail).toMatch(/The config is applied in 'try' mode and will be automatically reverted back in 0m10s$/);
      const at = Date.parse(step.revertsAt!);
      expect(at).toBeGreaterThanOrEqual(sentAt + 10_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 10_000);
    }
    expect(reverted.config.active).toContain('net.core.somaxconn: "4096"');
    expect(reverted.config.persistent).not.toContain('4096');

    // Applied again without try before the timeout: Talos cancels the revert.
    const again = await run((await planOf([kept.id.ip], patchOf(sysctl('4096')))).id);
    expect(again.steps[0]!.detail).toBe('Apply was skipped: no changes detected.');
    const keep = await run((await planOf([kept.id.ip], patchOf(sysctl('8192')))).id);
    expect(keep.state, keep.reason ?? '').toBe('succeeded');

    await expect.poll(() => reverted.config.active, { timeout: 20_000, interval: 250 }).toBe(before);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(op.steps[0]!.revertsAt!) - 1000);
    const config = await call('configs.get', { identityId: admin, node: reverted.id.ip, which: 'v1alpha1' });
    expect(config.yaml).not.toContain('4096');
    await new Promise((r) => setTimeout(r, 1000));
    expect(kept.config.active).toContain('net.core.somaxconn: "8192"');
    expect(kept.config.persistent).toContain('net.core.somaxconn: "8192"');
  }, 60_000);
});
