import type { DetachedTrail } from '../../../shared/handlers';
import type { AuditOutcome } from '../audit/recorder';

export type TrailOutcome = AuditOutcome;

/**
 * One operation in the audit trail: the dispatcher writes the plan as its intent before any node is called and
 * hands the trail over (detaches it); the runner writes one outcome entry per step and per gate result (named
 * by `step`), then the final outcome, all under one operation id.
 */
export type OperationTrail = DetachedTrail;
