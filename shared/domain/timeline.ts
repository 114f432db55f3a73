import { z } from 'zod';
import { callFailureSchema } from './talos';

/**
 * One incident timeline per cluster: Talos events, service state changes, boots, config applies, upgrades,
 * kernel warnings and errors, and this operator's own audited actions, merged by time.
 */
export const TIMELINE_KINDS = ['audit', 'reboot', 'config', 'upgrade', 'service', 'machine', 'sequence', 'kernel', 'event'] as const;
export const timelineKindSchema = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof timelineKindSchema>;

export const timelineEntrySchema = z.object({
  /** Stable per entry (event id, audit operation, …) so refreshes merge. */
  id: z.string(),
  /** ms since the epoch. */
  at: z.number(),
  node: z.string().nullable(),
  kind: timelineKindSchema,
  /** Where it comes from: `Events`, `ServiceList`, `SystemStat`, `dmesg`, `audit`. */
  source: z.string(),
  title: z.string(),
  detail: z.string(),
  /** Talos actor id (Reboot/Upgrade/... and their sequence events) or, for audited actions, who did it. */
  actor: z.string(),
  /** The Talos actor ids an audited action got back, so its node events can be matched. */
  actorIds: z.array(z.string()),
  /** The log to open at this moment: a service id, `kernel`, or null. */
  log: z.string().nullable(),
  severity: z.enum(['info', 'warning', 'error']),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineSchema = z.object({
  entries: z.array(timelineEntrySchema),
  /** Per node, what could not be read (the rest is still shown). */
  failures: z.array(z.object({ node: z.string(), failures: z.array(callFailureSchema) })),
  collectedAt: z.number(),
});
export type Timeline = z.infer<typeof timelineSchema>;

const SOURCE_RANK: Record<string, number> = { audit: 0, SystemStat: 1 };

/**
 * Timeline order. Talos events are dated by their xid, to the second, so entries are ordered by second first; within
 * a second the operator's request comes before what it caused, then the boot, then the rest by time.
 */
export function compareTimeline(a: TimelineEntry, b: TimelineEntry): number {
  return Math.floor(a.at / 1000) - Math.floor(b.at / 1000) || (SOURCE_RANK[a.source] ?? 2) - (SOURCE_RANK[b.source] ?? 2) || a.at - b.at;
}
