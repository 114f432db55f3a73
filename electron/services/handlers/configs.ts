import { AppError } from '../../../shared/errors';
import type { MachineConfigView } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import type { HandlersFor } from '../../../shared/handlers';
import { machineConfigBody, type ResourceItem } from '../../talos/client';
import { redactConfig } from '../config/redact';
import { diffConfigs } from '../config/structural-diff';
import type { HandlerDeps } from './deps';
import { allOk } from './outcomes';

const MC = 'MachineConfigs.config.talos.dev';
type Which = 'v1alpha1' | 'persistent';

export function configHandlers({ sessions, identities }: HandlerDeps): HandlersFor<'configs'> {
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
    'configs.reveal': {
      intent: async ({ identityId, node, which }) => ({
        identityId,
        nodes: [node],
        method: '/cosi.resource.State/Get',
        args: { type: MC, id: which, reveal: 'secrets' },
        talosctl: talosctl.get({ context: (await identities.store.meta(identityId)).name, nodes: [node] }, 'mc', which, { yaml: true }),
      }),
      run: async ({ identityId, node, which }) => {
        const meta = await identities.store.meta(identityId);
        if (!meta.roles.includes('os:admin'))
          throw new AppError(
            'PERMISSION_DENIED',
            `Revealing secrets needs os:admin; this identity has ${meta.roles.join(', ') || 'no roles'}.`,
          );
        const { item, body } = await config(identityId, node, which);
        return view(node, which, item, body, true);
      },
      outcomes: allOk,
    },
    'configs.diff': async ({ identityId, left, right, hidePerNode }) => {
      const [a, b] = await Promise.all([config(identityId, left.node, left.which), config(identityId, right.node, right.which)]);
      return diffConfigs(a.body, b.body, hidePerNode);
    },
    'configs.apply': {
      intent: async ({ identityId, node, yaml, mode, dryRun }) => ({
        identityId,
        nodes: [node],
        method: '/machine.MachineService/ApplyConfiguration',
        args: { data: yaml, mode, dryRun },
        talosctl: talosctl.applyConfig(
          { context: (await identities.store.meta(identityId)).name, nodes: [node] },
          'config.yaml',
          mode,
          dryRun,
        ),
      }),
      run: async ({ identityId, node, yaml, mode, dryRun }) => {
        const client = await sessions.client(identityId);
        return client.applyConfiguration(node, { data: yaml, mode, dryRun });
      },
      outcomes: allOk,
    },
  };
}
