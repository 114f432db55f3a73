import { describe, expect, it } from 'vitest';
import { LogStore, NO_FILTER, type LogFilter } from './log-store';
import { SEVERITY } from './parse-line';

const k = (ms: number, msg: string, err = false) => `{"ts":${ms},"caller":"x.go:1","msg":"${msg}","v":0${err ? ',"err":"boom"' : ''}}`;
const add = (store: LogStore, source: number, lines: string[], at: number) => store.append(source, lines.join('\n'), at);
const msgs = (store: LogStore) =>
  store.rows(0, store.viewLength).map((r) => (r.mark ? r.text : (JSON.parse(r.text) as { msg: string }).msg));
const texts = (store: LogStore) => store.rows(0, store.viewLength).map((r) => r.text);
const search = (store: LogStore, text: string, more: Partial<LogFilter> = {}) => {
  store.setFilter({ ...NO_FILTER, text, ...more });
  return texts(store);
};

describe('LogStore', () => {
  it('merges sources by parsed timestamp, whatever the arrival order', () => {
    const store = new LogStore(100);
    add(store, 0, [k(1000, 'a1'), k(3000, 'a3')], 5000);
    add(store, 1, [k(2000, 'b2'), k(4000, 'b4')], 5001);
    add(store, 1, [k(500, 'late'), k(3000, 'b3 same time as a3')], 5002);
    expect(store.rows(0, 10).map((r) => [r.source, JSON.parse(r.text).msg])).toEqual([
      [1, 'late'],
      [0, 'a1'],
      [1, 'b2'],
      [0, 'a3'],
      [1, 'b3 same time as a3'],
      [1, 'b4'],
    ]);
  });

  it('keeps untimed lines at arrival position and flags them', () => {
    const store = new LogStore(10);
    add(store, 0, [k(1000, 'x'), '[talos] no time here'], 9000);
    const rows = store.rows(0, 5);
    expect(rows[1]).toMatchObject({ untimed: true, ts: 1000, text: '[talos] no time here' });
  });

  it('reads severity and time per line within a batch, kubelet JSON or not', () => {
    const store = new LogStore(10);
    add(
      store,
      0,
      [
        k(1000, 'ok'),
        k(2000, 'bad', true),
        '{"level":"warn","ts":"1970-01-01T00:00:03Z","msg":"w"}',
        'E0101 00:00:04.000000 1 x.go:1] e',
        '',
      ],
      9000,
    );
    expect(store.rows(0, 5).map((r) => [r.severity, r.untimed])).toEqual([
      [SEVERITY.info, false],
      [SEVERITY.error, false],
      [SEVERITY.warn, false],
      [SEVERITY.error, false],
      [SEVERITY.unknown, true],
    ]);
    expect(store.rows(2, 3)[0]!.ts).toBe(3000);
  });

  it('is bounded: the oldest lines make room and are counted', () => {
    const store = new LogStore(3);
    add(store, 0, [k(1, 'a'), k(2, 'b')], 10);
    add(store, 0, [k(3, 'c'), k(4, 'd'), k(5, 'e')], 10);
    expect(store.total).toBe(3);
    expect(store.dropped).toBe(2);
    expect(store.received).toBe(5);
    expect(msgs(store)).toEqual(['c', 'd', 'e']);
    add(store, 1, [k(6, 'f'), k(7, 'g'), k(8, 'h'), k(9, 'i')], 10);
    expect(msgs(store)).toEqual(['g', 'h', 'i']);
    expect(store.dropped).toBe(6);
    store.setFilter({ ...NO_FILTER, text: '"msg":"[a-g]"', regex: true });
    expect(msgs(store)).toEqual(['g']);
  });

  it('filters by regex, substring, case and severity, and counts and walks matches', () => {
    const store = new LogStore(100);
    add(store, 0, [k(1, 'Alpha'), k(2, 'beta', true), k(3, 'alphabet'), k(4, 'gamma')], 10);
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
    expect(store.rows(0, 4).map((r) => r.match)).toEqual([true, false, true, false]);
    expect(store.findMatch(0, 1)).toBe(2);
    expect(store.findMatch(2, 1)).toBe(0);
    expect(store.findMatch(0, -1)).toBe(2);
    add(store, 0, [k(5, 'alpha again'), k(6, 'omega')], 11);
    expect(store.matchCount).toBe(3);
    expect(() => store.setFilter({ ...NO_FILTER, text: '(', regex: true })).toThrow();
  });

  it('matches each line on its own, although it searches whole batches at once', () => {
    const store = new LogStore(100);
    add(store, 0, ['start middle end', 'end start', 'tab\there', 'x', 'xx', 'a', 'b'], 10);
    const re = { regex: true, caseSensitive: true };
    expect(search(store, '^end', re)).toEqual(['end start']);
    expect(search(store, 'end$', re)).toEqual(['start middle end']);
    // \s and [^] could run into the next line in a batch; per line they cannot
    expect(search(store, 'end\\send', re)).toEqual([]);
    expect(search(store, 'a[^]b', re)).toEqual([]);
    expect(search(store, 'start\\s\\w+', re)).toEqual(['start middle end']);
    // lookahead and lookbehind see only the line
    expect(search(store, 'end(?=\\s)', re)).toEqual(['end start']);
    expect(search(store, '(?<!x)x', re)).toEqual(['x', 'xx']);
    expect(search(store, '(?<=\\n)a', re)).toEqual([]);
    // empty matches match every line; "\n" in a literal matches none
    expect(search(store, 'q*', re)).toHaveLength(7);
    expect(search(store, 'a\nb')).toEqual([]);
    expect(search(store, 'TAB\tH')).toEqual(['tab\there']);
    // regex metacharacters in a substring search are plain text
    add(store, 0, ['cost (USD) 1+1'], 11);
    expect(search(store, '(usd) 1+1')).toEqual(['cost (USD) 1+1']);
  });

  it('applies the current search to lines that arrive later, and keeps marks visible', () => {
    const store = new LogStore(100);
    store.setFilter({ ...NO_FILTER, text: 'error' });
    add(store, 0, [k(1, 'an error'), k(2, 'fine')], 10);
    store.mark(0, '── stream reconnected ──', 3);
    add(store, 0, [k(4, 'Error again')], 10);
    expect(msgs(store)).toEqual(['an error', '── stream reconnected ──', 'Error again']);
    store.setFilter({ ...NO_FILTER, text: 'reconnected' });
    expect(msgs(store)).toEqual(['── stream reconnected ──']);
    expect(store.matchCount).toBe(1);
  });

  it('filters by source', () => {
    const store = new LogStore(10);
    add(store, 0, [k(1, 'a')], 10);
    add(store, 1, [k(2, 'b')], 10);
    store.setFilter({ ...NO_FILTER, sources: [1] });
    expect(msgs(store)).toEqual(['b']);
    add(store, 1, [k(3, 'c')], 10);
    add(store, 0, [k(4, 'd')], 10);
    expect(msgs(store)).toEqual(['b', 'c']);
  });

  it('keeps only the newest lines of a batch larger than the store', () => {
    const store = new LogStore(2);
    add(store, 0, [k(1, 'a'), k(2, 'b'), k(3, 'c'), k(4, 'd')], 10);
    expect(msgs(store)).toEqual(['c', 'd']);
    expect(store.received).toBe(4);
    expect(store.dropped).toBe(2);
  });

  it('survives a long run of evictions with filters on, and clear starts from zero', () => {
    const store = new LogStore(1000);
    store.setFilter({ ...NO_FILTER, text: 'even', mode: 'highlight' });
    for (let b = 0; b < 50; b++)
      add(
        store,
        b % 3,
        Array.from({ length: 97 }, (_, i) => k(b * 100 + i, `${(b * 100 + i) % 2 ? 'odd' : 'even'} ${b * 100 + i}`)),
        0,
      );
    expect(store.total).toBe(1000);
    expect(store.received).toBe(4850);
    const rows = store.rows(0, 1000);
    expect(rows.map((r) => r.ts)).toEqual([...rows.map((r) => r.ts)].sort((a, b) => a - b));
    const even = rows.filter((r) => r.text.includes('even')).length;
    expect(even).toBeGreaterThan(400);
    expect(store.matchCount).toBe(even);
    store.setFilter({ ...NO_FILTER, text: 'even' });
    expect(store.viewLength).toBe(even);
    store.clear();
    expect([store.total, store.received, store.dropped, store.viewLength]).toEqual([0, 0, 0, 0]);
    add(store, 0, [k(1, 'even again')], 0);
    expect(msgs(store)).toEqual(['even again']);
  });

  it('keeps hostile text as text and exports the view', () => {
    const store = new LogStore(10);
    add(store, 0, ['<img src=x onerror=alert(1)> \x1b[31mred\x1b[0m'], 1000);
    expect(store.rows(0, 1)[0]!.text).toBe('<img src=x onerror=alert(1)> red');
    expect(store.exportText('all', () => 'n1 kubelet').join('')).toBe('\tn1 kubelet\t<img src=x onerror=alert(1)> red\n');
  });

  describe('with small batches merged into blocks', () => {
    // Blocks of 4 lines merged from batches of up to 2, so merges happen often and searches cross where batches were joined.
    const merged = () => new LogStore(8, 4, 2);

    it('keeps every line, its order and its text through merges and evictions', () => {
      const store = merged();
      for (let i = 0; i < 20; i++) add(store, i % 2, [k(i, `line ${i}`)], 0);
      expect(msgs(store)).toEqual(Array.from({ length: 8 }, (_, i) => `line ${i + 12}`));
      expect([store.total, store.received, store.dropped]).toEqual([8, 20, 12]);
      expect(store.rows(0, 8).map((r) => r.source)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
      expect((store as unknown as { chunks: { size: number } }).chunks.size).toBeLessThanOrEqual(4);
    });

    it('matches per line where two batches were joined: anchors, case and nothing across the join', () => {
      const store = merged();
      add(store, 0, ['alpha end'], 0);
      add(store, 0, ['start beta'], 0);
      add(store, 1, ['GAMMA end', 'start'], 0);
      add(store, 0, ['delta'], 0);
      const re = { regex: true, caseSensitive: true };
      expect(search(store, '^start', re)).toEqual(['start beta', 'start']);
      expect(search(store, 'end$', re)).toEqual(['alpha end', 'GAMMA end']);
      expect(search(store, 'end\\sstart', re)).toEqual([]);
      expect(search(store, 'end[^]start', re)).toEqual([]);
      expect(search(store, 'gamma')).toEqual(['GAMMA end']);
      expect(search(store, 'gamma', { caseSensitive: true })).toEqual([]);
      expect(search(store, 'A E')).toEqual(['alpha end', 'GAMMA end']);
      expect(search(store, '^(start|delta)$', re)).toEqual(['start', 'delta']);
    });

    it('finds matches in the last line of a block and the first of the next, and in lines added after a search', () => {
      const store = new LogStore(100, 3, 2);
      store.setFilter({ ...NO_FILTER, text: 'hit' });
      for (let i = 0; i < 10; i++) add(store, 0, [`${i % 3 === 2 ? 'hit' : 'miss'} ${i}`, `${i % 3 === 0 ? 'HIT' : 'miss'} b${i}`], 0);
      const expected = texts(store);
      expect(expected).toHaveLength(7);
      store.setFilter(NO_FILTER);
      expect(search(store, 'hit')).toEqual(expected);
      expect(search(store, '^hit \\d$', { regex: true })).toEqual(['hit 2', 'hit 5', 'hit 8']);
      store.setFilter({ ...NO_FILTER, text: 'hit', mode: 'highlight' });
      expect(store.matchCount).toBe(7);
      expect(store.findMatch(-1, 1)).toBe(1);
    });

    it('keeps marks among merged lines and visible under a search', () => {
      const store = merged();
      add(store, 0, [k(1, 'a')], 0);
      store.mark(0, '── 5 lines dropped here ──', 2);
      add(store, 0, [k(3, 'b'), k(4, 'c')], 0);
      add(store, 0, [k(5, 'd')], 0);
      expect(msgs(store)).toEqual(['a', '── 5 lines dropped here ──', 'b', 'c', 'd']);
      store.setFilter({ ...NO_FILTER, text: '"msg":"c"' });
      expect(msgs(store)).toEqual(['── 5 lines dropped here ──', 'c']);
    });
  });
});
