import { describe, expect, it } from 'vitest';
import { xidTime } from './xid';

describe('xidTime', () => {
  it('reads the seconds an event id was made at', () => {
    // 0x6641dea4 (2024-05-13T09:35:00Z) followed by zero bytes, in base32hex.
    expect(xidTime('cp0tth00000000000000')).toBe(Date.parse('2024-05-13T09:35:00Z'));
    expect(xidTime('cp0tth0ab12cd34ef56g')).toBe(Date.parse('2024-05-13T09:35:00Z'));
    expect(xidTime('not-an-xid')).toBeNull();
  });
});
