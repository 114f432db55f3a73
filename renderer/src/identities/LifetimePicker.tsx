import { useState } from 'react';

const PRESETS = [
  { label: '1 h', seconds: 3600 },
  { label: '8 h', seconds: 8 * 3600 },
  { label: '24 h', seconds: 24 * 3600 },
  { label: '7 d', seconds: 7 * 86_400 },
  { label: '30 d', seconds: 30 * 86_400 },
] as const;
const UNITS = { minutes: 60, hours: 3600, days: 86_400 } as const;
type Unit = keyof typeof UNITS;

/** "1 h", "90 min", "7 d": a lifetime in words for confirmations and cards. */
export function lifetimeText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The certificate lifetime (Talos' crt_ttl): the usual choices, or a custom number of minutes, hours or days. */
export function LifetimePicker({
  value,
  onChange,
  presets = PRESETS,
}: {
  value: number;
  onChange(seconds: number): void;
  presets?: readonly { label: string; seconds: number }[];
}) {
  const [custom, setCustom] = useState(!presets.some((p) => p.seconds === value));
  const [amount, setAmount] = useState('2');
  const [unit, setUnit] = useState<Unit>('hours');
  const setCustomValue = (a: string, u: Unit) => {
    setAmount(a);
    setUnit(u);
    const n = Number(a);
    onChange(Number.isFinite(n) ? Math.round(n * UNITS[u]) : 0);
  };
  return (
    <fieldset className="lifetime">
      <legend>Lifetime</legend>
      <div className="segmented" role="radiogroup" aria-label="Lifetime">
        {presets.map((p) => (
          <label key={p.label} className={!custom && value === p.seconds ? 'segment active' : 'segment'}>
            <input
              type="radio"
              name="lifetime"
              checked={!custom && value === p.seconds}
              onChange={() => {
                setCustom(false);
                onChange(p.seconds);
              }}
            />
            {p.label}
          </label>
        ))}
        <label className={custom ? 'segment active' : 'segment'}>
          <input
            type="radio"
            name="lifetime"
            checked={custom}
            onChange={() => {
              setCustom(true);
              setCustomValue(amount, unit);
            }}
          />
          custom
        </label>
      </div>
      {custom && (
        <div className="toolbar">
          <input
            aria-label="Custom lifetime"
            type="number"
            min={0}
            step="any"
            value={amount}
            onChange={(e) => setCustomValue(e.target.value, unit)}
            style={{ width: 90 }}
          />
          <select aria-label="Lifetime unit" value={unit} onChange={(e) => setCustomValue(amount, e.target.value as Unit)}>
            {Object.keys(UNITS).map((u) => (
              <option key={u}>{u}</option>
            ))}
          </select>
          <span className="muted">Talos requires more than zero.</span>
        </div>
      )}
    </fieldset>
  );
}
