/** Defensive readers for COSI specs: a node's YAML may lack a key or carry a surprising type. */
export type Spec = Record<string, unknown>;

export const asSpec = (value: unknown): Spec => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Spec) : {});

export const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

export const optStr = (value: unknown): string | null => {
  const s = str(value);
  return s === '' ? null : s;
};

export const bool = (value: unknown): boolean => value === true || value === 'true';

export const num = (value: unknown): number => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : 0;
};

export const strs = (value: unknown): string[] => (Array.isArray(value) ? value.map(str).filter((s) => s !== '') : []);
