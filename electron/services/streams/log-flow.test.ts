import { describe, expect, it } from 'vitest';
import { decodeLogFrame, type LogFrame } from '../../../shared/log-frame';
import { LogFlow } from './log-flow';

const utf8 = (s: string) => new TextEncoder().encode(s);
const chunk = (from: number, count: number) => ({
  bytes: utf8(Array.from({ length: count }, (_, i) => `line ${from + i}\n`).join('')),
  lines: count,
});
const linesOf = (frames: LogFrame[], key: string) =>
  frames.flatMap((f) => f.batches.filter((b) => b.key === key && b.lines > 0).flatMap((b) => new TextDecoder().decode(b.text).split('\n')));

function flow(capLines = 1000, window = 2) {
  const frames: LogFrame[] = [];
  const behind: number[] = [];
  const f = new LogFlow({
    streamId: 'stream-1',
    capLines,
    window,
    maxFrameBytes: 64,
    send: (frame) => frames.push(decodeLogFrame(frame)) > 0,
    onBehind: (n) => behind.push(n),
    now: () => 1000,
  });
  return { f, frames, behind };
}

describe('LogFlow: back-pressure between host and viewer', () => {
  it('sends while the viewer keeps up: one batch per part per frame, in order', () => {
    const { f, frames } = flow();
    f.push('a', chunk(0, 2));
    f.push('b', chunk(100, 1));
    f.flush();
    expect(frames).toHaveLength(1);
    expect(frames[0]!.batches.map((b) => [b.key, b.lines, b.dropped])).toEqual([
      ['a', 2, 0],
      ['b', 1, 0],
    ]);
    expect(linesOf(frames, 'a')).toEqual(['line 0', 'line 1']);
    f.ack(1);
    expect(f.behind).toBe(0);
  });

  it('holds lines while the viewer does not acknowledge, coalesces them, reports how far behind, and loses none', () => {
    const { f, frames, behind } = flow(1000, 2);
    for (let i = 0; i < 40; i++) {
      f.push('a', chunk(i * 3, 3));
      f.flush();
    }
    // a stalled viewer: only `window` frames went out; the rest waits here
    expect(frames).toHaveLength(2);
    expect(f.behind).toBe(120);
    expect(behind.at(-1)).toBe(120);
    // the viewer catches up: held lines leave in few, larger frames
    while (f.behind > 0) f.ack(1);
    const later = frames.slice(2);
    expect(later.length).toBeLessThan(38);
    expect(Math.max(...later.map((fr) => fr.batches[0]!.lines))).toBeGreaterThan(3);
    expect(linesOf(frames, 'a')).toEqual(Array.from({ length: 120 }, (_, i) => `line ${i}`));
    expect(f.droppedTotal).toBe(0);
    expect(behind.at(-1)).toBe(0);
  });

  it('beyond the viewer buffer lets the oldest held lines go, counted, and tells each part where', () => {
    const { f, frames } = flow(10, 1);
    f.push('a', chunk(0, 4));
    f.flush(); // in flight, unacknowledged
    f.push('a', chunk(4, 6));
    f.push('b', chunk(100, 6));
    f.push('a', chunk(10, 5)); // held: 17 lines, the viewer keeps 10
    expect(f.droppedTotal).toBe(7);
    expect(f.behind).toBe(4 + 10);
    f.ack(1);
    while (f.behind > 0) f.ack(1);
    const batches = frames.slice(1).flatMap((fr) => fr.batches);
    expect(batches.filter((b) => b.key === 'a').reduce((n, b) => n + b.dropped, 0)).toBe(6);
    expect(batches.filter((b) => b.key === 'b').reduce((n, b) => n + b.dropped, 0)).toBe(1);
    expect(linesOf(frames, 'a')).toEqual(['line 0', 'line 1', 'line 2', 'line 3', ...[10, 11, 12, 13, 14].map((i) => `line ${i}`)]);
    expect(linesOf(frames, 'b')).toEqual([101, 102, 103, 104, 105].map((i) => `line ${i}`));
  });

  it('holds everything while the frames have nowhere to go, then sends it', () => {
    let open = false;
    const frames: LogFrame[] = [];
    const f = new LogFlow({ streamId: 's', capLines: 100, send: (frame) => open && frames.push(decodeLogFrame(frame)) > 0 });
    f.push('a', chunk(0, 3));
    f.flush();
    expect([frames.length, f.behind]).toEqual([0, 3]);
    open = true;
    f.flush();
    expect(linesOf(frames, 'a')).toEqual(['line 0', 'line 1', 'line 2']);
  });

  it('reports lines lost from a part that sends nothing more', () => {
    const { f, frames } = flow(3, 1);
    f.push('quiet', chunk(0, 2));
    f.push('busy', chunk(100, 3));
    f.flush();
    expect(frames[0]!.batches.map((b) => [b.key, b.lines, b.dropped])).toEqual([
      ['busy', 3, 0],
      ['quiet', 0, 2],
    ]);
  });

  it('coalesces while frames are in flight: an acknowledgement sends small held lines only when nothing else is in flight', () => {
    const frames: LogFrame[] = [];
    const f = new LogFlow({
      streamId: 'stream-1',
      capLines: 1000,
      window: 4,
      coalesceBytes: 1000,
      send: (frame) => frames.push(decodeLogFrame(frame)) > 0,
    });
    f.push('a', chunk(0, 1));
    f.flush();
    f.push('a', chunk(1, 1));
    f.flush();
    expect(frames).toHaveLength(2);
    // One of two frames acknowledged, a few bytes held: they wait to grow into a larger frame.
    f.push('a', chunk(2, 1));
    f.ack(1);
    expect(frames).toHaveLength(2);
    f.push('a', chunk(3, 1));
    // The last frame acknowledged: nothing in flight, so what is held goes at once, as one frame.
    f.ack(1);
    expect(frames).toHaveLength(3);
    expect(linesOf(frames, 'a')).toEqual(['line 0', 'line 1', 'line 2', 'line 3']);
    // Held bytes past the threshold go with the acknowledgement even while a frame is in flight.
    f.push('a', chunk(4, 1));
    f.flush();
    f.push('a', chunk(5, 200));
    f.ack(1);
    expect(frames).toHaveLength(5);
    expect(f.behind).toBe(201);
  });

  it('copies a batch that was held as many wire chunks into the frame as one text', () => {
    const { f, frames } = flow(1000, 2);
    f.push('a', chunk(0, 1));
    f.push('b', chunk(50, 1));
    f.push('a', { bytes: utf8('line 1\nline 2\n'), lines: 2 });
    f.push('a', chunk(3, 1));
    f.flush();
    expect(frames).toHaveLength(1);
    expect(frames[0]!.batches.map((b) => [b.key, b.lines, new TextDecoder().decode(b.text)])).toEqual([
      ['a', 4, 'line 0\nline 1\nline 2\nline 3'],
      ['b', 1, 'line 50'],
    ]);
  });

  it('keeps empty lines at the end of a batch held in parts, and what the cap left of a chunk', () => {
    const { f, frames } = flow(3, 1);
    f.push('a', { bytes: utf8('x\n'), lines: 1 });
    f.push('a', { bytes: utf8('y\nz\n\n'), lines: 3 }); // 4 lines held, 3 kept: "x" goes
    f.push('a', { bytes: utf8('\n'), lines: 1 }); // "y" goes
    f.flush();
    expect(frames[0]!.batches.map((b) => [b.lines, b.dropped, new TextDecoder().decode(b.text)])).toEqual([[3, 2, 'z\n\n']]);
    expect(linesOf(frames, 'a')).toEqual(['z', '', '']);
  });
});
