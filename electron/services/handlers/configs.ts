import { AppError } from '../../../shared/errors';
import type { MachineConfigView } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import type { HandlersFor } from '../../../shared/handlers';
import { machineConfigBody, type ResourceItem } from '../../talos/client';
import { redactConfig } from '../config/redact';
import { diffConfigs } from '../config/structural-diff';
import type { HandlerDeps } from './deps';

const MC = 'MachineConfigs.config.talos.dev';
type Which = 'v1alpha1' | 'persistent';

export function configHandlers({ sessions, identities, mutate }: HandlerDeps): HandlersFor<'configs'> {
  const rolesOf = async (identityId: string) => (await identities.store.meta(identityId)).roles.join(', ') || 'no roles';
  const config = async (identityId: string, node: string, which: Which) => {
    const client = await sessions.client(identityId);
    try {
      const item = await client.getResource(node, 'config', MC, which);
      return { item, body: machineConfigBody(item) };
    } catch (error) {
      if (error instanceof AppError && error.code === 'PERMISSION_DENIED') {
        throw new AppError(
          'PERMISSION_DENIED',
          `Machine configs are a sensitive resource: reading them needs os:admin; this identity has ${await rolesOf(identityId)}.`,
        );
      }
      throw error;
    }
  };
  /** What the Config screen shows: redacted unless revealed; the redacted paths are listed either way. */
  const view = (node: string, which: Which, item: ResourceItem, body: string, revealed: boolean): MachineConfigView => {
    const redaction = redactConfig(body);
    return {
      node,
      which,
      yaml: revealed ? body : redaction.yaml,
      redacted: !revealed,
      redactedPaths: redaction.redactedPaths,
      documents: redaction.documents,
      version: item.version,
      updated: item.updated,
    };
  };

  return {
    'configs.get': async ({ identityId, node, which }) => {
      const { item, body } = await config(identityId, node, which);
      return view(node, which, item, body, false);
    },
    'configs.reveal': async ({ identityId, node, which }) => {
      const meta = await identities.store.meta(identityId);
      const request = {
        identityId,
        nodes: [node],
        method: '/cosi.resource.State/Get',
        args: { type: MC, id: which, reveal: 'secrets' },
        talosctl: talosctl.get({ context: meta.name, nodes: [node] }, 'mc', which, { yaml: true }),
      };
      type Outcome = { node: string; ok: boolean; value?: MachineConfigView; error?: { code: string; message: string } };
      const [result] = await mutate<Outcome>(request, async () => {
        if (!meta.roles.includes('os:admin')) {
          return [
            {
              node,
              ok: false,
              error: {
                code: 'PERMISSION_DENIED',
                message: `Revealing secrets needs os:admin; this identity has ${meta.roles.join(', ') || 'no roles'}.`,
              },
            },
          ];
        }
        try {
          const { item, body } = await config(identityId, node, which);
          return [{ node, ok: true, value: view(node, which, item, body, true) }];
        } catch (error) {
          const e = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
          return [{ node, ok: false, error: { code: e.code, message: e.message } }];
        }
      });
      if (!result?.ok || !result.value)
        throw new AppError((result?.error?.code as never) ?? 'INTERNAL', result?.error?.message ?? 'Reveal failed.');
      return result.value;
    },
    'configs.diff': async ({ identityId, left, right, hidePerNode }) => {
      const [a, b] = await Promise.all([config(identityId, left.node, left.which), config(identityId, right.node, right.which)]);
      return diffConfigs(a.body, b.body, hidePerNode);
    },
    'configs.apply': async ({ identityId, node, yaml, mode, dryRun }) => {
      const meta = await identities.store.meta(identityId);
      const request = {
        identityId,
        nodes: [node],
        method: '/machine.MachineService/ApplyConfiguration',
        args: { data: yaml, mode, dryRun },
        talosctl: talosctl.applyConfig({ context: meta.name, nodes: [node] }, 'config.yaml', mode, dryRun),
      };
      const [result] = await mutate(request, () =>
        sessions.perNode(identityId, [node], (c, n) => c.applyConfiguration(n, { data: yaml, mode, dryRun })),
      );
      if (!result || !result.ok) throw new AppError((result?.error.code as never) ?? 'INTERNAL', result?.error.message ?? 'Apply failed.');
      return result.value;
    },
  };
}
