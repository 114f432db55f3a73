import { compareTimeline, type Timeline, type TimelineEntry } from '../../../shared/domain/timeline';

/** Entries kept per identity; the oldest go first. */
export const MAX_KEPT = 50_000;

/**
 * What the timeline has seen, per identity, so history survives what the nodes forget: Talos' Events ring and
 * ServiceList start empty after a reboot, but the restart the operator made before it stays on the timeline.
 */
export class TimelineStore {
  private readonly seen = new Map<string, Map<string, TimelineEntry>>();

  merge(identityId: string, fresh: Timeline, nodes: string[], since: number): Timeline {
    let kept = this.seen.get(identityId);
    if (!kept) this.seen.set(identityId, (kept = new Map()));
    for (const e of fresh.entries) kept.set(e.id, e);
    if (kept.size > MAX_KEPT) {
      const oldest = [...kept.values()].sort((a, b) => a.at - b.at).slice(0, kept.size - MAX_KEPT);
      for (const e of oldest) kept.delete(e.id);
    }
    const wanted = new Set(nodes);
    const entries = [...kept.values()]
      .filter(
        (e) => e.at >= since && (e.node === null ? fresh.entries.some((f) => f.id === e.id) || e.source === 'audit' : wanted.has(e.node)),
      )
      .sort(compareTimeline);
    return { ...fresh, entries };
  }

  forget(identityId?: string): void {
    if (identityId) this.seen.delete(identityId);
    else this.seen.clear();
  }
}
