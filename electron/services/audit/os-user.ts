import os from 'node:os';

/** The operating-system account running Nodeglass, as recorded in the trail. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
