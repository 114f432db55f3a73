import type { Channel, Request, Response } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { getApi } from './index';

/** Calls a channel and throws the contract error (an AppError) when the host reports one. */
export async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const fn = getApi().calls[channel] as unknown as (req: Request<C>) => Promise<Result<Response<C>>>;
  const result = await fn(request);
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  return result.value as Response<C>;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
