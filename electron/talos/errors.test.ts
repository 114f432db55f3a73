import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { mapTalosError } from './errors';

const ctx = { node: '10.5.0.2', endpoint: '10.5.0.2:50000', method: '/machine.MachineService/ServiceRestart', roles: ['os:operator'] };
const grpcError = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details });

describe('mapping Talos errors', () => {
  it('maps a refusal Talos sends as UNKNOWN to NOT_SUPPORTED with what is allowed', () => {
    const error = mapTalosError(grpcError(grpc.status.UNKNOWN, `service "etcd" doesn't support restart operation via API`), ctx);
    expect(error.code).toBe('NOT_SUPPORTED');
    expect(error.message).toContain('Only kubelet (start, restart) and extension services (ext-*)');
  });

  it('maps an unknown service or log id to NOT_FOUND and any other UNKNOWN to NODE_ERROR, never INTERNAL', () => {
    expect(mapTalosError(grpcError(grpc.status.UNKNOWN, 'service "nope" not defined'), ctx).code).toBe('NOT_FOUND');
    expect(mapTalosError(grpcError(grpc.status.UNKNOWN, 'log "x" was not registered'), ctx).code).toBe('NOT_FOUND');
    const other = mapTalosError(grpcError(grpc.status.UNKNOWN, 'something odd'), ctx);
    expect(other).toMatchObject({
      code: 'NODE_ERROR',
      message: '10.5.0.2 reported an error for /machine.MachineService/ServiceRestart: something odd',
    });
  });
});
