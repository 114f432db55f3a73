import type { Emit } from '../../../shared/handlers';

/**
 * How one batch of log lines crosses to the renderer: today the lines joined with "\n" in one string (one
 * string is far cheaper to send than thousands). This is the single place to change that format.
 */
export function emitLogBatch(emit: Emit, streamId: string, key: string, lines: string[]): void {
  emit('stream.logs', { streamId, key, text: lines.join('\n'), count: lines.length, arrivedAt: Date.now() });
}
