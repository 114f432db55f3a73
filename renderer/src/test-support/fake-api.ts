import type { NodeglassApi } from '../../../shared/api';
import { channelNames, type Channel } from '../../../shared/contract';
import type { IdentitySummary } from '../../../shared/domain/identity';

/** A stand-in host for component tests: answers chosen channels, fails the rest with UNAVAILABLE. */
export function fakeApi(
  answers: Partial<Record<Channel, (request: unknown) => unknown>>,
): NodeglassApi & { requests: { channel: Channel; request: unknown }[] } {
  const requests: { channel: Channel; request: unknown }[] = [];
  const calls = Object.fromEntries(
    channelNames.map((channel) => [
      channel,
      async (request: unknown) => {
        requests.push({ channel, request });
        const answer = answers[channel];
        return answer
          ? { ok: true, value: await answer(request) }
          : { ok: false, error: { code: 'UNAVAILABLE', message: `no fake for ${channel}` } };
      },
    ]),
  );
  return { host: 'browser', calls: calls as unknown as NodeglassApi['calls'], on: () => () => undefined, requests };
}

export function identity(name: string, roles: string[]): IdentitySummary {
  return {
    id: name,
    name,
    cluster: 'lab',
    endpoints: ['127.0.0.1:50000'],
    nodes: ['10.5.0.2', '10.5.0.3'],
    subject: `O=${roles.join(', O=')}`,
    issuer: 'O=talos',
    roles,
    fingerprint: 'AA:BB',
    keyAlgorithm: 'Ed25519',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    expiry: 'ok',
    daysLeft: 200,
    practice: true,
    warnings: [],
    label: null,
    colour: null,
    readOnly: false,
    locked: false,
    minted: null,
    lifetimeSeconds: 365 * 86_400,
    caFingerprint: 'CA:FF',
  };
}
