import { AppError } from '../../../shared/errors';
import type { HandlersFor } from '../../../shared/handlers';
import { goDuration, talosctl } from '../../../shared/talosctl';
import type { HandlerDeps } from './deps';
import { allOk } from './outcomes';

const OPERATOR = ['os:operator'];

/**
 * On-call shifts: "Start shift" mints an operator identity for the shift through an admin identity and locks the
 * cluster's admin identities (the host refuses them) until someone gives an audited reason or the shift ends.
 */
export function shiftHandlers({ identities, minting, shift, sessions }: HandlerDeps): HandlersFor<'shift'> {
  const { store } = identities;
  const running = async () => {
    const current = await shift.current();
    if (!current) throw new AppError('FAILED_PRECONDITION', 'No shift is running.');
    return current;
  };
  return {
    'shift.status': () => shift.current(),
    'shift.start': {
      intent: async ({ identityId, node, ttlSeconds }) => {
        const current = await shift.current();
        if (current?.active)
          throw new AppError(
            'FAILED_PRECONDITION',
            `A shift is already running as ${current.operator.name}; end it before starting another.`,
          );
        await store.requireWritable();
        const via = await store.summaryOf(identityId);
        if (!via.roles.includes('os:admin'))
          throw new AppError(
            'PERMISSION_DENIED',
            `Starting a shift mints an operator identity, which needs os:admin; ${via.name} has ${via.roles.join(', ') || 'no roles'}.`,
          );
        return {
          identityId,
          nodes: [node ?? via.endpoints[0] ?? 'endpoint'],
          method: '/machine.MachineService/GenerateClientConfiguration',
          args: { purpose: 'on-call shift', roles: OPERATOR, ttl: goDuration(ttlSeconds), ttlSeconds },
          talosctl: talosctl.configNew({ context: via.name, nodes: node ? [node] : [] }, 'shift.yaml', OPERATOR, ttlSeconds),
        };
      },
      run: async ({ identityId, node, ttlSeconds }) => {
        const via = await store.summaryOf(identityId);
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
        const operator = minted.summary;
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
        return { shift: started, identity: await store.summaryOf(operator.id), auditNote: minted.note };
      },
      outcomes: allOk,
    },
    'shift.unlock': {
      intent: async ({ identityId, reason }) => {
        const current = await shift.current();
        const meta = await store.meta(identityId);
        if (!current?.active || !current.locked.some((l) => l.id === identityId))
          throw new AppError('FAILED_PRECONDITION', `${meta.name} is not locked by a running shift.`);
        return {
          identityId,
          nodes: [],
          method: 'nodeglass/UnlockIdentity',
          args: { reason, shift: current.operator.name },
          talosctl: talosctl.configContext(meta.name),
        };
      },
      run: async ({ identityId, reason }) => shift.unlock(identityId, (await store.meta(identityId)).name, reason),
      outcomes: allOk,
    },
    'shift.end': {
      intent: async () => {
        const current = await running();
        const exists = await store.meta(current.operator.id).then(
          () => true,
          () => false,
        );
        return {
          identityId: current.operator.id,
          // The operator identity may already be gone (removed by hand): the trail still names it.
          ...(exists ? {} : { actor: { name: current.operator.name, fingerprint: '(removed)', roles: OPERATOR } }),
          nodes: [],
          method: 'nodeglass/EndShift',
          args: { shift: current.operator.name, unlocked: current.unlocked.map((u) => u.name) },
          talosctl: talosctl.configRemove(current.operator.name),
        };
      },
      run: async () => {
        const current = await running();
        await shift.end();
        // Removed after the intent, which names the identity that acted.
        sessions.forget(current.operator.id);
        const removed = await store.remove(current.operator.id);
        return { removed, auditNote: removed ? `removed ${current.operator.name} from the vault` : 'shift ended' };
      },
      outcomes: allOk,
    },
  };
}
