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
