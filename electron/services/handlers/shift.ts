import { AppError } from '../../../shared/errors';
import type { HandlersFor } from '../../../shared/handlers';
import { goDuration, talosctl } from '../../../shared/talosctl';
import type { HandlerDeps } from './deps';

const OPERATOR = ['os:operator'];

/**
 * On-call shifts: "Start shift" mints an operator identity for the shift through an admin identity and locks the
 * cluster's admin identities (the host refuses them) until someone gives an audited reason or the shift ends.
 */
export function shiftHandlers({ identities, minting, mutate, shift, sessions }: HandlerDeps): HandlersFor<'shift'> {
  const { store } = identities;
  return {
    'shift.status': () => shift.current(),
    'shift.start': async ({ identityId, node, ttlSeconds }) => {
      const running = await shift.current();
      if (running?.active)
        throw new AppError(
          'FAILED_PRECONDITION',
          `A shift is already running as ${running.operator.name}; end it before starting another.`,
        );
      await store.requireWritable();
      const via = await store.summaryOf(identityId);
      if (!via.roles.includes('os:admin'))
        throw new AppError(
          'PERMISSION_DENIED',
          `Starting a shift mints an operator identity, which needs os:admin; ${via.name} has ${via.roles.join(', ') || 'no roles'}.`,
        );
      const at = node ?? via.endpoints[0] ?? 'endpoint';
      const command = talosctl.configNew({ context: via.name, nodes: node ? [node] : [] }, 'shift.yaml', OPERATOR, ttlSeconds);
      const request = {
        identityId,
        nodes: [at],
        method: '/machine.MachineService/GenerateClientConfiguration',
        args: { purpose: 'on-call shift', roles: OPERATOR, ttl: goDuration(ttlSeconds), ttlSeconds },
        talosctl: command,
      };
      const [result] = await mutate(request, async () => {
        const minted = await minting.mint({
          viaId: identityId,
          node,
          roles: OPERATOR,
          ttlSeconds,
          name: `shift operator@${via.cluster}`,
          label: via.label,
          colour: via.colour,
          readOnly: false,
          shift: true,
        });
        return [{ node: at, ok: true, value: { ...minted, auditNote: minted.note } }];
      });
      const operator = result!.value.summary;
      const admins = (await store.list()).filter(
        (i) => i.caFingerprint === via.caFingerprint && i.roles.includes('os:admin') && i.id !== operator.id,
      );
      const started = await shift.start({
        operator: { id: operator.id, name: operator.name },
        startedBy: via.name,
        startedAt: new Date().toISOString(),
        endsAt: operator.notAfter,
        locked: admins.map((a) => ({ id: a.id, name: a.name })),
        unlocked: [],
      });
      return { shift: started, identity: await store.summaryOf(operator.id) };
    },
    'shift.unlock': async ({ identityId, reason }) => {
      const current = await shift.current();
      const meta = await store.meta(identityId);
      if (!current?.active || !current.locked.some((l) => l.id === identityId))
        throw new AppError('FAILED_PRECONDITION', `${meta.name} is not locked by a running shift.`);
      const request = {
        identityId,
        nodes: [],
        method: 'nodeglass/UnlockIdentity',
        args: { reason, shift: current.operator.name },
        talosctl: talosctl.configContext(meta.name),
      };
      const [result] = await mutate(request, async () => [
        { node: 'this computer', ok: true, value: await shift.unlock(identityId, meta.name, reason) },
      ]);
      return result!.value;
    },
    'shift.end': async () => {
      const current = await shift.current();
      if (!current) throw new AppError('FAILED_PRECONDITION', 'No shift is running.');
      const exists = await store.meta(current.operator.id).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await shift.end();
        return { removed: false };
      }
      const request = {
        identityId: current.operator.id,
        nodes: [],
        method: 'nodeglass/EndShift',
        args: { shift: current.operator.name, unlocked: current.unlocked.map((u) => u.name) },
        talosctl: talosctl.configRemove(current.operator.name),
      };
      await mutate(request, async () => {
        await shift.end();
        return [{ node: 'this computer', ok: true, value: { auditNote: `removed ${current.operator.name} from the vault` } }];
      });
      // Removed after the audit entry, which names the identity that acted.
      sessions.forget(current.operator.id);
      return { removed: await store.remove(current.operator.id) };
    },
  };
}
