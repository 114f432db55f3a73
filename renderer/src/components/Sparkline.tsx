/**
 * A small trend line that says what it plots: the label and unit in its tooltip and accessible name, with the
 * lowest and highest value and the time span it covers, and the span written beside it.
 */
export function Sparkline({
  values,
  max,
  label,
  unit = '',
  span,
}: {
  values: number[];
  max?: number;
  label: string;
  unit?: string;
  /** The time the values cover, e.g. "2 min". */
  span?: string;
}) {
  const width = 96;
  const height = 20;
  const top = max ?? Math.max(1, ...values);
  const points = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * width},${height - (v / top) * height}`).join(' ');
  const fmt = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(unit === '%' ? 0 : 2)}${unit}`;
  const range = values.length ? `, ${fmt(Math.min(...values))} to ${fmt(Math.max(...values))}` : ', no samples yet';
  const name = `${label}${span ? ` over the last ${span}` : ''}${range}`;
  return (
    <span className="spark" title={name}>
      <svg width={width} height={height} role="img" aria-label={name}>
        <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
      </svg>
      {span && <span className="spark-span">{span}</span>}
    </span>
  );
}
