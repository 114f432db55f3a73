import { describe, expect, it } from 'vitest';
import { encodeLogFrame } from '../../../shared/log-frame';
import { FrameIntake } from './frame-intake';
import { LogStore } from './log-store';

const utf8 = (s: string) => new TextEncoder().encode(s);
const k = (ms: number, msg: string) => `{"ts":${ms},"msg":"${msg}"}`;
const frame = (streamId: string, batches: { key: string; lines: string[]; dropped?: number; at?: number }[]) =>
  encodeLogFrame({
    streamId,
    batches: batches.map((b) => ({
      key: b.key,
      arrivedAt: b.at ?? 0,
      lines: b.lines.length,
      dropped: b.dropped ?? 0,
      text: utf8(b.lines.join('\n')),
    })),
  });

function intake() {
  const store = new LogStore(100);
  const acks: number[] = [];
  const errors: string[] = [];
  const i = new FrameIntake(
    () => store,
    (_id, n) => acks.push(n),
    (e) => errors.push(e),
  );
  i.attach('s1', ['n1|service|kubelet', 'n2|service|kubelet']);
  return { i, store, acks, errors };
}

describe('FrameIntake', () => {
  it('stores each batch under its source and acknowledges each frame', () => {
    const { i, store, acks } = intake();
    i.receive(
      frame('s1', [
        { key: 'n2|service|kubelet', lines: [k(2, 'b')] },
        { key: 'n1|service|kubelet', lines: [k(1, 'a'), k(3, 'c')] },
      ]),
    );
    expect(store.rows(0, 5).map((r) => [r.source, JSON.parse(r.text).msg])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [0, 'c'],
    ]);
    expect(acks).toEqual([1]);
  });

  it('ignores frames of another stream and parts it does not know, and reports malformed frames', () => {
    const { i, store, acks, errors } = intake();
    i.receive(frame('old-stream', [{ key: 'n1|service|kubelet', lines: [k(1, 'x')] }]));
    i.receive(frame('s1', [{ key: 'n9|service|etcd', lines: [k(1, 'x')] }]));
    i.receive(new ArrayBuffer(2));
    expect(store.total).toBe(0);
    expect(acks).toEqual([1]);
    expect(errors).toEqual(['log frame: truncated']);
  });

  it('marks where the host let lines go and counts them', () => {
    const { i, store } = intake();
    i.receive(frame('s1', [{ key: 'n1|service|kubelet', lines: [k(5, 'after')], dropped: 1234, at: 4 }]));
    expect(store.rows(0, 2).map((r) => [r.mark, r.text])).toEqual([
      [true, '── 1,234 lines dropped here: the viewer fell behind ──'],
      [false, k(5, 'after')],
    ]);
    expect(i.lostBehind).toBe(1234);
  });

  it('while paused keeps frames unacknowledged, then takes them in order', () => {
    const { i, store, acks } = intake();
    i.setPaused(true);
    i.receive(frame('s1', [{ key: 'n1|service|kubelet', lines: [k(1, 'a')] }]));
    i.receive(frame('s1', [{ key: 'n1|service|kubelet', lines: [k(2, 'b')] }]));
    expect([store.total, acks.length, i.waitingFrames]).toEqual([0, 0, 2]);
    i.setPaused(false);
    expect(store.rows(0, 2).map((r) => JSON.parse(r.text).msg)).toEqual(['a', 'b']);
    expect(acks).toEqual([1, 1]);
  });
});
