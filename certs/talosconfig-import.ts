import { parse } from 'yaml';
import { AppError } from '../shared/errors';
import { ContextProblem, validateContext, type ValidatedIdentity } from './identity-validation';

export const MAX_TALOSCONFIG_BYTES = 1_048_576;

export interface ParsedTalosconfig {
  current: string | null;
  contexts: {
    name: string;
    identity: ValidatedIdentity | null;
    problems: string[];
    warnings: string[];
    roles: string[];
    endpoints: string[];
    notAfter: string | null;
  }[];
}

/** Parses a talosconfig and validates every context; refuses the file as a whole only for file-level problems. */
export function parseTalosconfig(text: string, now = new Date()): ParsedTalosconfig {
  if (Buffer.byteLength(text) > MAX_TALOSCONFIG_BYTES)
    throw new AppError(
      'TOO_LARGE',
      `The file is larger than ${MAX_TALOSCONFIG_BYTES / 1024} KiB; a talosconfig is a few KiB. Is this the right file?`,
    );
  if (text.trim() === '') throw new AppError('IDENTITY_INVALID', 'The talosconfig is empty.');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new AppError('IDENTITY_INVALID', `The file is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new AppError('IDENTITY_INVALID', 'The file is YAML but not a talosconfig (expected "context:" and "contexts:").');
  const { context, contexts } = doc as { context?: unknown; contexts?: unknown };
  if (!contexts || typeof contexts !== 'object' || Object.keys(contexts).length === 0)
    throw new AppError('IDENTITY_INVALID', 'The talosconfig has no contexts.');
  const current = typeof context === 'string' && context ? context : null;
  if (current && !Object.hasOwn(contexts, current))
    throw new AppError(
      'IDENTITY_INVALID',
      `The current context "${current}" is not among the file's contexts (${Object.keys(contexts).join(', ')}).`,
    );
  return {
    current,
    contexts: Object.entries(contexts as Record<string, unknown>).map(([name, raw]) => {
      try {
        const identity = validateContext(name, (raw ?? {}) as Record<string, unknown>, now);
        return {
          name,
          identity,
          problems: [],
          warnings: identity.warnings,
          roles: identity.roles,
          endpoints: identity.endpoints,
          notAfter: identity.notAfter,
        };
      } catch (error) {
        if (!(error instanceof ContextProblem)) throw error;
        return { name, identity: null, problems: [error.message], warnings: [], roles: [], endpoints: [], notAfter: null };
      }
    }),
  };
}

/** Names a clashing context like `talosctl config merge` does: `name-1`, `name-2`, ... */
export function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) if (!taken.has(`${name}-${i}`)) return `${name}-${i}`;
}
