import { useMemo, useState, type ReactNode } from 'react';
import { plural } from '../lib/format';
import { FilterBox } from './FilterBox';
import { EmptyState, LoadingState } from './States';
import { Visible } from './Visible';

/** Text cells come from nodes: hidden characters (bidi overrides, controls) are shown escaped. */
const CellText = ({ value }: { value: string | number }) => (typeof value === 'string' ? <Visible text={value} /> : <>{value}</>);

export interface Column<T> {
  key: string;
  /** The header; put the unit here when every cell shares it: "Memory (MiB)". */
  label: string;
  value(row: T): string | number;
  render?(row: T): ReactNode;
  /** Numbers and sizes sit right, so their digits line up; the header follows its cells. */
  align?: 'right';
  /** Long free text (commands, messages) that may wrap. */
  wide?: boolean;
}

export interface DataTableProps<T> {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  initialSort?: { key: string; desc: boolean };
  filterPlaceholder?: string;
  /** False for a table that is not the screen's main one (folded away, say): `/` then skips its filter. */
  primaryFilter?: boolean;
  limit?: number;
  /** True until the first answer arrived: shows a loading state instead of "no rows". */
  loading?: boolean;
  /** The sentence shown when there is nothing at all (not when a filter hides everything). */
  empty?: string;
  /** Rows open a detail (a drawer beside the table) by click or Enter. */
  onOpen?(row: T): void;
  openKey?: string | null;
  /** Controls that belong on the table's toolbar, after the filter. */
  tools?: ReactNode;
  /** What a row is, for the count: ['service', 'services']. */
  noun?: [string, string];
  /** Extra data-* attributes of a row (tests and styles find rows by them). */
  rowData?(row: T): Record<`data-${string}`, string>;
}

/** A sortable, filterable table with a sticky header; `/` focuses its filter (see the global keys). */
export function DataTable<T>(props: DataTableProps<T>) {
  const {
    label,
    rows,
    columns,
    rowKey,
    initialSort,
    filterPlaceholder,
    primaryFilter = true,
    limit = 2000,
    loading,
    empty,
    onOpen,
    openKey,
    tools,
  } = props;
  const [one, many] = props.noun ?? ['row', 'rows'];
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
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return sort.desc ? -order : order;
    });
  }, [rows, columns, filter, sort]);

  const align = (c: Column<T>) => (c.align === 'right' ? 'num' : c.wide ? 'wide' : undefined);

  return (
    <div className="data-table">
      <div className="toolbar">
        <FilterBox
          label={`Filter ${label}`}
          placeholder={filterPlaceholder ?? 'Filter (/)'}
          value={filter}
          onChange={setFilter}
          primary={primaryFilter}
        />
        <span className="muted" aria-live="polite">
          {filter ? `${visible.length.toLocaleString('en-US')} of ${plural(rows.length, one, many)}` : plural(rows.length, one, many)}
        </span>
        {tools}
      </div>
      <table className="grid" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={align(c)}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
              >
                <button
                  className="sort"
                  title={`Sort by ${c.label}`}
                  onClick={() =>
                    setSort(sort?.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: c.align === 'right' })
                  }
                >
                  {c.label}
                  <span className="sort-mark" aria-hidden>
                    {sort?.key === c.key ? (sort.desc ? '▼' : '▲') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, limit).map((row) => {
            const key = rowKey(row);
            return (
              <tr
                key={key}
                data-row={key}
                {...props.rowData?.(row)}
                className={[onOpen && 'openable', openKey === key && 'open'].filter(Boolean).join(' ') || undefined}
                tabIndex={onOpen ? 0 : undefined}
                aria-current={onOpen && openKey === key ? 'true' : undefined}
                onClick={onOpen ? () => onOpen(row) : undefined}
                onKeyDown={onOpen ? (e) => e.key === 'Enter' && e.target === e.currentTarget && onOpen(row) : undefined}
              >
                {columns.map((c) => (
                  <td key={c.key} className={align(c)}>
                    {c.render ? c.render(row) : <CellText value={c.value(row)} />}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 &&
        (loading ? <LoadingState what={label.toLowerCase()} /> : <EmptyState>{empty ?? `No ${label.toLowerCase()}.`}</EmptyState>)}
      {rows.length > 0 && visible.length === 0 && (
        <EmptyState>
          Nothing matches “{filter}”. Clear the filter to see all {plural(rows.length, one, many)}.
        </EmptyState>
      )}
      {visible.length > limit && <p className="muted">Showing the first {limit.toLocaleString('en-US')} rows; filter to narrow down.</p>}
    </div>
  );
}
