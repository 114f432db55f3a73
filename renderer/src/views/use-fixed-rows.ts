import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

export interface RowItem {
  index: number;
  start: number;
  key: number;
}

export interface FixedRows {
  items: RowItem[];
  totalSize: number;
  scrollToIndex(index: number, align: 'start' | 'center' | 'end'): void;
}

/**
 * Windowing for rows of one fixed height: which rows to draw is plain arithmetic on the scroll position,
 * so a million rows (and a count that grows every frame while a log streams in) cost nothing. A general
 * virtualizer keeps one measurement object per row and rebuilds them whenever the count changes.
 */
export function useFixedRows(count: number, rowHeight: number, parent: RefObject<HTMLElement | null>, overscan: number): FixedRows {
  const [viewport, setViewport] = useState({ top: 0, height: 0 });
  useLayoutEffect(() => {
    const el = parent.current;
    if (!el) return;
    const update = () =>
      setViewport((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [parent]);

  const first = Math.max(0, Math.floor(viewport.top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((viewport.top + viewport.height) / rowHeight) + overscan);
  const items: RowItem[] = [];
  for (let index = first; index <= last; index++) items.push({ index, start: index * rowHeight, key: index });

  const scrollToIndex = useCallback(
    (index: number, align: 'start' | 'center' | 'end') => {
      const el = parent.current;
      if (!el) return;
      const height = el.clientHeight;
      const top = index * rowHeight;
      el.scrollTop = align === 'start' ? top : align === 'end' ? top + rowHeight - height : top - (height - rowHeight) / 2;
    },
    [parent, rowHeight],
  );
  return { items, totalSize: count * rowHeight, scrollToIndex };
}
