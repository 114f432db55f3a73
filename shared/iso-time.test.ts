import { describe, expect, it } from 'vitest';
import { isoFromMs } from './iso-time';

const builtin = (ms: number) => new Date(ms).toISOString();

describe('isoFromMs', () => {
  it('formats like Date#toISOString at the edges of days, months, leap years and the four-digit range', () => {
    const edges = [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.UTC(1972, 1, 29, 12, 0, 0, 5),
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2000, 2, 1),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const ms of edges) expect(isoFromMs(ms), String(ms)).toBe(builtin(ms));
  });

  it('matches the builtin for 200,000 times spread over 1970-9999', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200_000; i++) {
      const ms = Math.floor(next() * next() * 253_402_300_800_000);
      if (isoFromMs(ms) !== builtin(ms)) expect(isoFromMs(ms), String(ms)).toBe(builtin(ms));
    }
  });

  it('leaves what it does not cover to the builtin: negative, fractional, six-digit years, invalid', () => {
    for (const ms of [-1, -86_400_001, 1.5, 253_402_300_800_000, 8.64e15]) expect(isoFromMs(ms)).toBe(builtin(ms));
    expect(() => isoFromMs(Number.NaN)).toThrow(RangeError);
    expect(() => isoFromMs(8.64e15 + 1)).toThrow(RangeError);
  });
});
