import { useMemo, useState, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  label: string;
  value(row: T): string | number;
  render?(row: T): ReactNode;
  align?: 'right';
}

export interface DataTableProps<T> {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  initialSort?: { key: string; desc: boolean };
  filterPlaceholder?: string;
  limit?: number;
}

/** A sortable, filterable table; `/` focuses its filter (see App's key handler). */
export function DataTable<T>({ label, rows, columns, rowKey, initialSort, filterPlaceholder, limit = 2000 }: DataTableProps<T>) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState(initialSort ?? null);
  const visible = useMemo(() => {
    const q = filter.toLowerCase();
    const filtered = q ? rows.filter((r) => columns.some((c) => String(c.value(r)).toLowerCase().includes(q))) : rows;
    if (!sort) return filtered;
    const column = columns.find((c) => c.key === sort.key);
    if (!column) return filtered;
    return [...filtered].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.desc ? -order : order;
    });
  }, [rows, columns, filter, sort]);

  return (
    <div>
      <div className="toolbar">
        <input
          data-filter
          aria-label={`Filter ${label}`}
          placeholder={filterPlaceholder ?? 'Filter (/)'}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted">
          {visible.length} of {rows.length}
        </span>
      </div>
      <table className="grid" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                className="sortable"
                style={c.align ? { textAlign: c.align } : undefined}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                onClick={() => setSort(sort?.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: true })}
              >
                {c.label}
                {sort?.key === c.key && <span className="sort-mark">{sort.desc ? '▼' : '▲'}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, limit).map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} style={c.align ? { textAlign: c.align } : undefined}>
                  {c.render ? c.render(row) : c.value(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {visible.length > limit && <p className="muted">Showing the first {limit} rows; filter to narrow down.</p>}
    </div>
  );
}
