import { describe, expect, it } from 'vitest';
import { summarize } from './identity-summary';

const DAY = 86_400_000;
const now = Date.parse('2026-11-28T12:00:00Z');
const meta = (notAfterDays: number, notBeforeDays = -300) => ({
  id: 'x',
  name: 'admin@lab',
  cluster: 'lab',
  endpoints: ['10.5.0.2'],
  nodes: [],
  caPem: '',
  certPem: '',
  subject: 'O=os:admin',
  issuer: 'O=talos',
  roles: ['os:admin'],
  fingerprint: 'AA',
  keyAlgorithm: 'Ed25519',
  notBefore: new Date(now + notBeforeDays * DAY).toISOString(),
  notAfter: new Date(now + notAfterDays * DAY).toISOString(),
  context: 'admin@lab',
  warnings: [],
});

describe('identity expiry warnings', () => {
  it('marks 30 days, 7 days, expired and not yet valid', () => {
    expect(summarize(meta(90), false, now).expiry).toBe('ok');
    expect(summarize(meta(29), false, now).expiry).toBe('soon');
    expect(summarize(meta(6), false, now).expiry).toBe('imminent');
    expect(summarize(meta(-1), false, now).expiry).toBe('expired');
    expect(summarize(meta(100, 2), false, now).expiry).toBe('not-yet-valid');
    expect(Math.floor(summarize(meta(6.5), false, now).daysLeft)).toBe(6);
  });

  it('never carries key material', () => {
    expect(Object.keys(summarize(meta(90), true, now))).not.toContain('key');
    expect(JSON.stringify(summarize(meta(90), true, now))).not.toMatch(/PRIVATE/);
  });
});
