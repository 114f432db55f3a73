export interface Frames {
  frames: number;
  maxMs: number;
  over50: number;
}

/** Frame intervals measured with requestAnimationFrame inside the page for `duration` ms. Plain JavaScript (no tsx helpers in the page). */
export const FRAME_PROBE = `(async (duration) => {
  const deltas = [];
  let last = performance.now();
  const end = last + duration;
  await new Promise((resolve) => {
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  return { frames: deltas.length, maxMs: Math.max(...deltas), over50: deltas.filter((d) => d > 50).length };
})`;
