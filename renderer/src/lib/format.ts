const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Human sizes in binary units (1.5 KiB, 21 MiB); the exact count goes in the hover text (`exactBytes`). */
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '';
  let value = Math.abs(n);
  let unit = 0;
  while (value >= 1024 && unit < IEC.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(value)) : value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${n < 0 ? '-' : ''}${text} ${IEC[unit]}`;
}

export function exactBytes(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'byte' : 'bytes'}`;
}

export function cpuTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = (seconds % 60).toFixed(2).padStart(5, '0');
  return m ? `${m}m${s}s` : `${s}s`;
}

/** "1 service", "3 services", "2 matches": counts in sentences, never "service(s)". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
