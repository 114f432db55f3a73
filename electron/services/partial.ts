import type { CallFailure } from '../../shared/domain/talos';
import { AppError } from '../../shared/errors';

type Calls = Record<string, () => Promise<unknown>>;
type Values<C extends Calls> = { [K in keyof C]: Awaited<ReturnType<C[K]>> | null };

/**
 * Runs a view's calls side by side and keeps whatever answered: a failed call leaves its value null and is
 * listed with its reason. Only when every call failed does the node fail as a whole (with the first reason),
 * so "not answering" is said of a node that did not answer at all.
 */
export async function gather<C extends Calls>(calls: C): Promise<{ values: Values<C>; failures: CallFailure[] }> {
  const names = Object.keys(calls) as (keyof C & string)[];
  const settled = await Promise.allSettled(names.map((name) => calls[name]!()));
  const values = {} as Values<C>;
  const failures: CallFailure[] = [];
  const errors: AppError[] = [];
  settled.forEach((result, i) => {
    const name = names[i]!;
    if (result.status === 'fulfilled') {
      values[name] = result.value as Values<C>[typeof name];
      return;
    }
    values[name] = null as Values<C>[typeof name];
    const e = result.reason instanceof AppError ? result.reason : new AppError('INTERNAL', String(result.reason));
    errors.push(e);
    failures.push({ call: name, code: e.code, message: e.message });
  });
  if (names.length > 0 && errors.length === names.length) throw errors[0];
  return { values, failures };
}
