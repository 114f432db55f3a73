/** A Talos tag as talosctl compares them: `v1.13.0-alpha.2` → [1, 13, 0] and its pre-release, if any. */
interface TalosVersion {
  core: [number, number, number];
  pre: (string | number)[];
}

export function parseTalosVersion(tag: string): TalosVersion | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(tag.trim());
  if (!m) return null;
  const pre = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
}

/** Semantic-version order (a release sorts after its pre-releases); null when either tag does not parse. */
export function compareTalosVersions(a: string, b: string): number | null {
  const x = parseTalosVersion(a);
  const y = parseTalosVersion(b);
  if (!x || !y) return null;
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! - y.core[i]!;
  if (!x.pre.length || !y.pre.length) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return -1;
    if (typeof q === 'number') return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * The last Talos whose nodes lack ImageService and LifecycleService: talosctl upgrades newer nodes with
 * ImageService/Pull, LifecycleService/Upgrade and Reboot, and these with the legacy MachineService/Upgrade.
 */
export const LEGACY_UPGRADE_UNTIL = 'v1.13.0-alpha.2';

/** The node answers ImageService and LifecycleService (null: its version does not parse). */
export function hasLifecycleService(version: string): boolean | null {
  const c = compareTalosVersions(version, LEGACY_UPGRADE_UNTIL);
  return c === null ? null : c > 0;
}
