import type { AuditOutcome, AuditRecorder, MutationRequest } from '../audit/recorder';

export type TrailOutcome = AuditOutcome;

/**
 * One operation in the audit trail: the plan is written as its intent before any node is called, then one
 * outcome entry per step and per gate result (named by `step`), then the final outcome, all under one operation id.
 */
export interface OperationTrail {
  readonly id: string;
  step(step: string, outcomes: TrailOutcome[]): Promise<void>;
  finish(outcomes: TrailOutcome[]): Promise<void>;
}

export type OpenTrail = (request: MutationRequest) => Promise<OperationTrail>;

/** The trail on the audit recorder: its intent is the plan; it fails (AUDIT_UNAVAILABLE) when the trail cannot be written. */
export function trailOn(record: AuditRecorder): OpenTrail {
  return async (request) => {
    const operation = await record(request);
    return {
      id: operation.id,
      step: async (step, outcomes) => {
        await operation.outcome(outcomes, step);
      },
      finish: async (outcomes) => {
        try {
          await operation.outcome(outcomes);
        } finally {
          operation.end();
        }
      },
    };
  };
}
