import { errorText } from '../api/call';
import { NO_FILTER } from '../logs/log-store';
import { useLogTabs } from '../logs/log-tabs';
import { useUi } from '../stores/ui-store';

/** Words of a log line that find it again (its time and its message), without regex surprises. */
function needle(line: string): string {
  const msg = /"msg":"([^"]{4,80})"/.exec(line)?.[1];
  if (msg) return msg;
  return line
    .replace(/^\S+\s+/, '')
    .slice(0, 80)
    .trim();
}

/**
 * "Jump to logs at this moment": a new log session (it outlives the screen, like any other) on the node and the
 * source, with the line that was evidence highlighted, so Find next lands on it.
 */
export async function openLogsAt(identity: { id: string; name: string }, node: string, source: string, line: string | null): Promise<void> {
  const { notify, setView } = useUi.getState();
  const tab = useLogTabs.getState().add(identity.id);
  if ('error' in tab) {
    notify('error', tab.error);
    return;
  }
  const { session } = tab;
  session.setChoice({
    sources: [source === 'kernel' ? { kind: 'kernel', id: 'kernel' } : { kind: 'service', id: source }],
    tail: 10_000,
    follow: true,
  });
  if (line) session.setFilter({ ...NO_FILTER, text: needle(line), mode: 'highlight' });
  setView('logs');
  try {
    await session.open(identity, [node]);
  } catch (error) {
    notify('error', errorText(error));
  }
}
