/** Stream ids as the renderer picks them and the contract allows them. */
export const STREAM_ID = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * Every event of a stream carries `key`: which part of the stream it belongs to. The renderer computes the
 * keys before it opens a stream, so it can route the very first event.
 *
 * - Node streams (events, dmesg, resources): the node address.
 * - Log streams: node, source kind and source id.
 */
export function logStreamKey(node: string, source: { kind: string; id: string }): string {
  return `${node}|${source.kind}|${source.id}`;
}
