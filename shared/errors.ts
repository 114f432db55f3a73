/** The one list of error codes that may cross from the host to the renderer. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'INTERNAL',
  'NOT_FOUND',
  'PERMISSION_DENIED',
  'UNAVAILABLE',
  'TLS_UNKNOWN_CA',
  'TLS_NAME_MISMATCH',
  'TLS_CERT_EXPIRED',
  'TLS_CERT_REJECTED',
  'TLS_FAILED',
  'UNIMPLEMENTED',
  'DEADLINE_EXCEEDED',
  'CANCELLED',
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'ALREADY_EXISTS',
  'IDENTITY_INVALID',
  'IDENTITY_NOT_FOUND',
  'VAULT_LOCKED',
  'VAULT_WRONG_PASSPHRASE',
  'VAULT_CORRUPT',
  'VAULT_INSECURE_BACKEND',
  'LAB_NOT_RUNNING',
  'AUDIT_UNAVAILABLE',
  'NOT_SUPPORTED',
  'NODE_ERROR',
  'PROFILE_IN_USE',
  'TOO_LARGE',
  'READ_ONLY',
  'IDENTITY_LOCKED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
}

/** An error with a code from the list and a message a person can act on. */
export class AppError extends Error implements AppErrorShape {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON(): AppErrorShape {
    return { code: this.code, message: this.message };
  }
}
