import { z } from 'zod';
import { ERROR_CODES, type AppErrorShape } from './errors';

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const errorShapeSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: AppErrorShape): Result<never> {
  return { ok: false, error: { code: error.code, message: error.message } };
}
