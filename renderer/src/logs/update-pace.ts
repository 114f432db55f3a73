/**
 * How long the log worker waits before telling the page that lines arrived (the page then renders and asks
 * for rows). About 30 times a second reads as live. While lines arrive faster than FLOOD_RATE (a bulk load,
 * a node spewing), nobody reads them as they fly by, and on two cores every update the page draws is CPU
 * the stream does not get: then twice a second is enough to show the count growing.
 */
export const LIVE_MS = 33;
export const FLOOD_MS = 500;
/** Lines per second above which the viewer is being flooded. */
export const FLOOD_RATE = 10_000;

/** The delay before the next update, from the lines that arrived in the `ms` between the last two. */
export function nextUpdateDelay(lines: number, ms: number): number {
  return ms > 0 && (lines * 1000) / ms > FLOOD_RATE ? FLOOD_MS : LIVE_MS;
}

/**
 * How long a change waits before the page hears of it: new lines wait for the pace of the last update
 * (measured from that update, so the first lines after a quiet spell show at once); an operator's action
 * (`soon`: a filter, pause, mark or clear) shows within a frame even during a flood.
 */
export function waitBeforeUpdate(soon: boolean, sinceLastUpdate: number, pace: number): number {
  return soon ? LIVE_MS : Math.max(LIVE_MS, pace - sinceLastUpdate);
}
