import { describe, expect, it } from 'vitest';
import { FLOOD_MS, LIVE_MS, nextUpdateDelay, waitBeforeUpdate } from './update-pace';

describe('nextUpdateDelay', () => {
  it('updates live while lines arrive at a readable rate', () => {
    expect(nextUpdateDelay(0, 33)).toBe(LIVE_MS);
    expect(nextUpdateDelay(300, 33)).toBe(LIVE_MS); // ~9,000 lines/s
    expect(nextUpdateDelay(5_000, 1_000)).toBe(LIVE_MS);
  });

  it('slows to twice a second during a flood, and back once it ends', () => {
    expect(nextUpdateDelay(400, 33)).toBe(FLOOD_MS); // ~12,000 lines/s
    expect(nextUpdateDelay(100_000, FLOOD_MS)).toBe(FLOOD_MS);
    expect(nextUpdateDelay(4_000, FLOOD_MS)).toBe(LIVE_MS); // 8,000 lines/s
  });

  it('treats a burst after a long quiet spell by its rate over that spell', () => {
    expect(nextUpdateDelay(2_000, 60_000)).toBe(LIVE_MS);
    expect(nextUpdateDelay(50, 0)).toBe(LIVE_MS);
  });

  describe('waitBeforeUpdate', () => {
    it('lets new lines wait out the flood pace, counted from the last update', () => {
      expect(waitBeforeUpdate(false, 100, FLOOD_MS)).toBe(FLOOD_MS - 100);
      expect(waitBeforeUpdate(false, 490, FLOOD_MS)).toBe(LIVE_MS);
      expect(waitBeforeUpdate(false, 10_000, FLOOD_MS)).toBe(LIVE_MS);
      expect(waitBeforeUpdate(false, 0, LIVE_MS)).toBe(LIVE_MS);
    });

    it('shows an operator’s action within a frame, even in a flood', () => {
      expect(waitBeforeUpdate(true, 0, FLOOD_MS)).toBe(LIVE_MS);
    });
  });
});
