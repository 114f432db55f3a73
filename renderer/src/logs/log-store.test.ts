import { describe, expect, it } from 'vitest';
import { LogStore, NO_FILTER } from './log-store';
import { SEVERITY } from './parse-line';

const k = (ms: number, msg: string, err = false) => `{"ts":${ms},"caller":"x.go:1","msg":"${msg}","v":0${err ? ',"err":"boom"' : ''}}`;

describe('LogStore', () => {
  it('merges sources by parsed timestamp, whatever the arrival order', () => {
    const store = new LogStore(100);
    store.append(0, [k(1000, 'a1'), k(3000, 'a3')], 5000);
    store.append(1, [k(2000, 'b2'), k(4000, 'b4')], 5001);
    expect(store.rows(0, 10).map((r) => [r.source, JSON.parse(r.text).msg])).toEqual([
      [0, 'a1'],
      [1, 'b2'],
      [0, 'a3'],
      [1, 'b4'],
    ]);
  });

  it('keeps untimed lines at arrival position and flags them', () => {
    const store = new LogStore(10);
    store.append(0, [k(1000, 'x'), '[talos] no time here'], 9000);
    const rows = store.rows(0, 5);
    expect(rows[1]).toMatchObject({ untimed: true, ts: 1000, text: '[talos] no time here' });
  });

  it('is bounded: the oldest lines make room and are counted', () => {
    const store = new LogStore(3);
    store.append(0, [k(1, 'a'), k(2, 'b'), k(3, 'c'), k(4, 'd'), k(5, 'e')], 10);
    expect(store.total).toBe(3);
    expect(store.dropped).toBe(2);
    expect(store.rows(0, 3).map((r) => JSON.parse(r.text).msg)).toEqual(['c', 'd', 'e']);
  });

  it('filters by regex, substring, case and severity, and counts and walks matches', () => {
    const store = new LogStore(100);
    store.append(0, [k(1, 'Alpha'), k(2, 'beta', true), k(3, 'alphabet'), k(4, 'gamma')], 10);
    store.setFilter({ ...NO_FILTER, text: 'alpha', regex: false });
    expect(store.viewLength).toBe(2);
    store.setFilter({ ...NO_FILTER, text: 'alpha', caseSensitive: true });
    expect(store.viewLength).toBe(1);
    store.setFilter({ ...NO_FILTER, text: '"msg":"(beta|gamma)"', regex: true });
    expect(store.rows(0, 5).map((r) => JSON.parse(r.text).msg)).toEqual(['beta', 'gamma']);
    store.setFilter({ ...NO_FILTER, minSeverity: SEVERITY.error });
    expect(store.rows(0, 5).map((r) => JSON.parse(r.text).msg)).toEqual(['beta']);
    store.setFilter({ ...NO_FILTER, text: 'alpha', mode: 'highlight' });
    expect(store.viewLength).toBe(4);
    expect(store.matchCount).toBe(2);
    expect(store.findMatch(0, 1)).toBe(2);
    expect(store.findMatch(2, 1)).toBe(0);
    expect(store.findMatch(0, -1)).toBe(2);
    store.append(0, [k(5, 'alpha again')], 11);
    expect(store.matchCount).toBe(3);
    expect(() => store.setFilter({ ...NO_FILTER, text: '(', regex: true })).toThrow();
  });

  it('keeps hostile text as text and exports the view', () => {
    const store = new LogStore(10);
    store.append(0, ['<img src=x onerror=alert(1)> \x1b[31mred\x1b[0m'], 1000);
    expect(store.rows(0, 1)[0]!.text).toBe('<img src=x onerror=alert(1)> red');
    expect(store.exportText('all', () => 'n1 kubelet').join('')).toBe('\tn1 kubelet\t<img src=x onerror=alert(1)> red\n');
  });
});
