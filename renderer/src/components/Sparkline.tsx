export function Sparkline({ values, max, label }: { values: number[]; max?: number; label: string }) {
  const width = 120;
  const height = 24;
  const top = max ?? Math.max(1, ...values);
  const points = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * width},${height - (v / top) * height}`).join(' ');
  return (
    <svg className="spark" width={width} height={height} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
    </svg>
  );
}
