import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer';

const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `line ${from + i}`);

describe('LogBuffer.readFrom', () => {
  it('reads the lines after a position, a bounded amount at a time', () => {
    const log = new LogBuffer();
    log.append(lines(0, 3));
    const start = log.end;
    expect(log.readFrom(start, 1024)).toEqual({ text: '', next: start });
    log.append(lines(3, 100));
    const first = log.readFrom(start, 30);
    expect(first.text).toBe('line 3\nline 4\nline 5\nline 6\nline 7\n');
    const rest = log.readFrom(first.next, 1 << 20);
    expect(rest.text.split('\n').slice(0, -1)).toEqual(lines(8, 95));
    expect(rest.next).toBe(log.end);
    // A position beyond the newest line reads from the next line written, skipping none.
    const ahead = log.readFrom(log.end + 50, 1024);
    expect(ahead).toEqual({ text: '', next: log.end });
    log.append(['line 103']);
    expect(log.readFrom(ahead.next, 1024).text).toBe('line 103\n');
  });

  it('sends a reader the writer has lapped to the oldest line still held', () => {
    const log = new LogBuffer(1000);
    const start = log.end;
    log.append(lines(0, 10_000)); // ~10 bytes a line: only the last ~100 fit
    const { text, next } = log.readFrom(start, 1 << 20);
    const got = text.split('\n').slice(0, -1);
    expect(got.at(-1)).toBe('line 9999');
    expect(got.length).toBe(log.size);
    expect(got.length).toBeLessThan(110);
    expect(next).toBe(log.end);
  });

  it('keeps positions across the compaction of its line array', () => {
    const log = new LogBuffer(200);
    let at = log.end;
    const seen: string[] = [];
    for (let i = 0; i < 20_000; i += 5) {
      log.append(lines(i, 5));
      const read = log.readFrom(at, 1 << 20);
      seen.push(...read.text.split('\n').slice(0, -1));
      at = read.next;
    }
    expect(seen).toEqual(lines(0, 20_000));
  });
});
