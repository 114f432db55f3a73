import { describe, expect, it } from 'vitest';
import { bytes, exactBytes, plural } from './format';
import { ago, exactTime } from './time';

describe('sizes', () => {
  it('humanizes in binary units and keeps the exact count for hover', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1023)).toBe('1023 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(bytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(bytes(2.5 * 1024 ** 3)).toBe('2.5 GiB');
    expect(exactBytes(4_194_305)).toBe('4,194,305 bytes');
    expect(exactBytes(1)).toBe('1 byte');
  });
});

describe('plural', () => {
  it('says 1 service and 2 services', () => {
    expect(plural(1, 'service')).toBe('1 service');
    expect(plural(2, 'service')).toBe('2 services');
    expect(plural(0, 'match', 'matches')).toBe('0 matches');
    expect(plural(12000, 'line')).toBe('12,000 lines');
  });
});

describe('relative times', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('is short, and the exact time is UTC with the local time', () => {
    expect(ago('2026-03-01T11:59:58Z', now)).toBe('just now');
    expect(ago('2026-03-01T11:59:30Z', now)).toBe('30s ago');
    expect(ago('2026-03-01T11:57:00Z', now)).toBe('3m ago');
    expect(ago('2026-03-01T09:00:00Z', now)).toBe('3h ago');
    expect(ago('2026-02-25T12:00:00Z', now)).toBe('4d ago');
    expect(ago('not a time', now)).toBe('');
    expect(exactTime('2026-03-01T11:57:00.123Z')).toMatch(/^2026-03-01 11:57:00 UTC \(.+ local\)$/);
  });
});
