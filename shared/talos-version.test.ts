import { describe, expect, it } from 'vitest';
import { compareTalosVersions, hasLifecycleService } from './talos-version';

describe('Talos versions', () => {
  it('orders releases and pre-releases as semver does', () => {
    const sorted = [
      'v1.12.6',
      'v1.13.0-alpha.0',
      'v1.13.0-alpha.2',
      'v1.13.0-alpha.10',
      'v1.13.0-beta.0',
      'v1.13.0-rc.1',
      'v1.13.0',
      'v1.13.9',
      'v1.14.0',
    ];
    for (let i = 1; i < sorted.length; i++) expect(compareTalosVersions(sorted[i - 1]!, sorted[i]!), sorted[i]).toBeLessThan(0);
    expect(compareTalosVersions('v1.13.9', '1.13.9')).toBe(0);
    expect(compareTalosVersions('latest', 'v1.13.9')).toBeNull();
  });

  it('knows which nodes have LifecycleService (newer than v1.13.0-alpha.2)', () => {
    expect(['v1.12.6', 'v1.13.0-alpha.1', 'v1.13.0-alpha.2'].map(hasLifecycleService)).toEqual([false, false, false]);
    expect(['v1.13.0-alpha.3', 'v1.13.0', 'v1.13.9', 'v1.15.0'].map(hasLifecycleService)).toEqual([true, true, true, true]);
    expect(hasLifecycleService('')).toBeNull();
  });
});
