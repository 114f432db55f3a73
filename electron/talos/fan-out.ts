import { AppError } from '../../shared/errors';
import type { PerNode } from '../../shared/domain/node';

/** Runs `fn` for every node with bounded concurrency; one node's failure never fails the others. */
export async function fanOut<T>(nodes: string[], fn: (node: string) => Promise<T>, concurrency = 128): Promise<PerNode<T>[]> {
  const results = new Array<PerNode<T>>(nodes.length);
  let next = 0;
  const worker = async () => {
    while (next < nodes.length) {
      const index = next++;
      const node = nodes[index]!;
      try {
        results[index] = { node, ok: true, value: await fn(node) };
      } catch (error) {
        const e = error instanceof AppError ? error : new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
        results[index] = { node, ok: false, error: { code: e.code, message: e.message } };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, nodes.length) }, worker));
  return results;
}
