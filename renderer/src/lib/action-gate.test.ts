import { describe, expect, it } from 'vitest';
import { identity } from '../test-support/fake-api';
import { actionBlock, serviceBlock } from './action-gate';

const REBOOT = '/machine.MachineService/Reboot';

describe('why an action is disabled', () => {
  it('puts read-only and the shift lock before the roles, whatever the roles allow', () => {
    const admin = identity('admin@prod', ['os:admin']);
    expect(actionBlock(admin, REBOOT)).toBeNull();
    expect(actionBlock({ ...admin, readOnly: true }, REBOOT)).toBe('admin@prod is open read-only; turn read-only off in Identities to act');
    expect(actionBlock({ ...admin, locked: true, readOnly: true }, REBOOT)).toMatch(/^admin@prod is locked during the on-call shift/);
    expect(serviceBlock({ ...admin, readOnly: true }, 'kubelet', 'restart')).toMatch(/open read-only/);
  });

  it('falls back to the role and to Talos’ own rule for services', () => {
    const reader = identity('reader@prod', ['os:reader']);
    expect(actionBlock(reader, REBOOT)).toBe('needs os:admin or os:operator; this identity has os:reader');
    expect(serviceBlock(identity('op', ['os:operator']), 'etcd', 'restart')).toMatch(/only for kubelet and extension services/);
  });
});
