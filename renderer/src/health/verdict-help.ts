import type { Verdict } from '../../../shared/domain/health';

/** What each verdict means, on hover and in the legend: "unknown" is never a pass. */
export const VERDICT_HELP: Record<Verdict, string> = {
  pass: 'pass: the evidence was read and is healthy',
  warn: 'warn: works, but needs attention soon',
  fail: 'fail: broken now',
  unknown:
    'unknown: the evidence could not be read (the node or call did not answer, or the role may not read it); never counted as a pass',
};
