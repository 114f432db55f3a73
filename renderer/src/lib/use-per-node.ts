import { useCallback, useEffect, useState } from 'react';
import type { Channel, Request, Response } from '../../../shared/contract';
import type { PerNode } from '../../../shared/domain/node';
import { call, errorText } from '../api/call';
import { useUi } from '../stores/ui-store';

type PerNodeChannel = { [C in Channel]: Response<C> extends PerNode<unknown>[] ? C : never }[Channel];
type ValueOf<C extends PerNodeChannel> = Response<C> extends PerNode<infer V>[] ? V : never;

/**
 * Loads a fanned-out channel for the selection, optionally refreshing every `refreshMs`. Results belong to
 * the request (identity and nodes) that produced them: after a switch, the previous results are never shown,
 * not even for the moment before the new answer arrives.
 */
export function usePerNode<C extends PerNodeChannel>(channel: C, request: Request<C> | null, refreshMs = 0) {
  const [answer, setAnswer] = useState<{ key: string; results: PerNode<ValueOf<C>>[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const [answered, setAnswered] = useState<string | null>(null);
  const key = JSON.stringify(request);
  const results = answer?.key === key ? answer.results : NONE;
  const load = useCallback(async () => {
    if (!request) return;
    setLoading(true);
    try {
      setAnswer({ key, results: (await call(channel, request)) as unknown as PerNode<ValueOf<C>>[] });
      setAnswered(key);
    } catch (error) {
      setAnswered(key);
      useUi.getState().notify('error', errorText(error));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel, key]);
  useEffect(() => {
    void load();
    if (!refreshMs) return;
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [load, refreshMs]);
  /** True until the first answer for this request arrived: views show a loading state, not "nothing". */
  const pending = request !== null && answered !== key;
  return { results, loading, pending, reload: load };
}

const NONE: never[] = [];

export function rowsOf<T>(results: PerNode<T[]>[]): (T & { node: string })[] {
  return results.flatMap((r) => (r.ok ? r.value.map((v) => ({ ...v, node: r.node })) : []));
}
