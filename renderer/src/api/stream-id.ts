let counter = 0;

/** A fresh stream id, chosen here so that every event of the stream can be routed from the first one. */
export function newStreamId(): string {
  counter++;
  const random =
    typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `s${counter}-${random}`;
}
