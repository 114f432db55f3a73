import type { KernelRecord } from './domain/talos';

const DMESG = /^(\w+):\s*(\w+): \[([^\]]+)\]: ([\s\S]*)$/;

/**
 * The one parser of kernel records as Talos' Dmesg formats them, `kern:    info: [2026-01-02T10:11:12.123456789Z]: message`:
 * the Kernel view gets them parsed on the privileged side, the log viewer parses kernel lines with it too.
 * A line in another shape keeps its text as the message.
 */
export function parseKernelRecord(line: string): KernelRecord {
  const m = DMESG.exec(line);
  if (!m) return { facility: '', priority: '', time: null, message: line };
  return { facility: m[1]!, priority: m[2]!, time: m[3]!, message: m[4]!.replace(/\n$/, '') };
}
