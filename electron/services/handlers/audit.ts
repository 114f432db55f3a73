import type { HandlersFor } from '../../../shared/handlers';
import { filterEntries } from '../../../shared/audit-operations';
import { exportEntries } from '../audit/audit-export';
import type { HandlerDeps } from './deps';

export function auditHandlers({ audit }: HandlerDeps): HandlersFor<'audit'> {
  return {
    'audit.list': async (filter) => filterEntries(await audit.entries(), filter).reverse(),
    'audit.verify': () => audit.verify(),
    'audit.export': async ({ filter, format }) => {
      const entries = filterEntries(await audit.entries(), filter);
      const stamp = new Date().toISOString();
      return {
        filename: `nodeglass-audit-${stamp.replace(/[:.]/g, '-')}.${format}`,
        content: exportEntries(entries, await audit.verify(), format, stamp),
        entries: entries.length,
      };
    },
  };
}
