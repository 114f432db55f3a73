/** The log line parser lives in shared/ so the health rules on the privileged side read severities the same way. */
export * from '../../../shared/log-line';
