/**
 * The small part of Kubernetes JSONPath that Talos' print columns use: `{.a.b}`, `{@}`, `{.list[0]}` and
 * filters like `{.conditions[?(@.type=="Ready")].status}`.
 */
export function evalJsonPath(spec: unknown, template: string): string {
  const expr = template.trim().replace(/^\{/, '').replace(/\}$/, '').trim();
  if (expr === '@' || expr === '') return render(spec);
  let current: unknown[] = [spec];
  const tokens = expr.match(/\.[^.[\]]+|\[\?\(@\.[^)]+\)\]|\[\d+\]|\[\*\]/g) ?? [];
  for (const token of tokens) {
    const next: unknown[] = [];
    for (const value of current) {
      if (token.startsWith('.')) {
        if (value && typeof value === 'object' && !Array.isArray(value)) next.push((value as Record<string, unknown>)[token.slice(1)]);
      } else if (token === '[*]') {
        if (Array.isArray(value)) next.push(...value);
      } else if (/^\[\d+\]$/.test(token)) {
        if (Array.isArray(value)) next.push(value[Number(token.slice(1, -1))]);
      } else {
        const m = /^\[\?\(@\.([\w-]+)\s*==\s*["']?([^"']*)["']?\)\]$/.exec(token);
        if (m && Array.isArray(value))
          next.push(
            ...value.filter((item) => item && typeof item === 'object' && String((item as Record<string, unknown>)[m[1]!]) === m[2]),
          );
      }
    }
    current = next.filter((v) => v !== undefined);
  }
  return current.map(render).join(' ');
}

function render(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
