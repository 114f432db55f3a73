import type { HandlersFor } from '../../../shared/handlers';
import { exportEntries, matchesFilter } from '../audit/audit-export';
import type { HandlerDeps } from './deps';

export function auditHandlers({ audit }: HandlerDeps): HandlersFor<'audit'> {
  return {
    'audit.list': async (filter) => (await audit.entries()).filter((e) => matchesFilter(e, filter)).reverse(),
    'audit.verify': () => audit.verify(),
    'audit.export': async ({ filter, format }) => {
      const entries = (await audit.entries()).filter((e) => matchesFilter(e, filter));
      const stamp = new Date().toISOString();
      return {
        filename: `nodeglass-audit-${stamp.replace(/[:.]/g, '-')}.${format}`,
        content: exportEntries(entries, await audit.verify(), format, stamp),
        entries: entries.length,
      };
    },
  };
}
