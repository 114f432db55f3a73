import { create } from 'zustand';
import { LogSession } from './log-session';

/** All log sessions together may keep this many lines (each session's buffer is one worker's heap). */
export const TOTAL_LINE_BUDGET = 2_000_000;
export const DEFAULT_CAPACITY = 1_000_000;
const MIN_CAPACITY = 10_000;

export interface LogTab {
  id: string;
  /** A session belongs to the identity it was created under; it is shown only while that identity is active. */
  identityId: string;
  session: LogSession;
}

interface LogTabsState {
  tabs: LogTab[];
  /** The tab shown for each identity. */
  active: Record<string, string>;
  /** The shown tab of an identity, creating the first one when it has none. */
  ensure(identityId: string): LogTab;
  /** A new session for the identity, or an error when the line budget is spent. */
  add(identityId: string): LogTab | { error: string };
  select(identityId: string, tabId: string): void;
  close(tabId: string): void;
  /** Closes the sessions of identities that no longer exist (removed, or the practice cluster stopped). */
  retain(identityIds: string[]): void;
  closeIdentity(identityId: string): void;
}

let nextTab = 1;

/** Lines the other sessions keep, so a session's buffer can be sized within the budget. */
export function linesInUse(tabs: LogTab[], except?: string): number {
  return tabs.filter((t) => t.id !== except).reduce((sum, t) => sum + t.session.state.getState().capacity, 0);
}

/**
 * The log sessions: they live as long as the app, not as long as the Logs view. Several can run at once
 * (tabs inside Logs), each with its own buffer, within a total line budget.
 */
export const useLogTabs = create<LogTabsState>((set, get) => {
  const create = (identityId: string, capacity: number): LogTab => {
    const tab = { id: `log-${nextTab++}`, identityId, session: new LogSession(capacity) };
    set((s) => ({ tabs: [...s.tabs, tab], active: { ...s.active, [identityId]: tab.id } }));
    return tab;
  };
  const dispose = (tabs: LogTab[]) => tabs.forEach((t) => t.session.dispose());
  return {
    tabs: [],
    active: {},
    ensure(identityId) {
      const { tabs, active } = get();
      const mine = tabs.filter((t) => t.identityId === identityId);
      const shown = mine.find((t) => t.id === active[identityId]) ?? mine[0];
      if (shown) return shown;
      return create(identityId, Math.max(MIN_CAPACITY, Math.min(DEFAULT_CAPACITY, TOTAL_LINE_BUDGET - linesInUse(tabs))));
    },
    add(identityId) {
      const left = TOTAL_LINE_BUDGET - linesInUse(get().tabs);
      if (left < MIN_CAPACITY)
        return {
          error: `All ${TOTAL_LINE_BUDGET.toLocaleString('en-US')} lines of the log budget are in use; close a log session or give one a smaller buffer first.`,
        };
      return create(identityId, Math.min(DEFAULT_CAPACITY, left));
    },
    select: (identityId, tabId) => set((s) => ({ active: { ...s.active, [identityId]: tabId } })),
    close(tabId) {
      const tab = get().tabs.find((t) => t.id === tabId);
      if (!tab) return;
      dispose([tab]);
      set((s) => {
        const tabs = s.tabs.filter((t) => t.id !== tabId);
        const next = tabs.find((t) => t.identityId === tab.identityId);
        const active = { ...s.active };
        if (active[tab.identityId] === tabId) {
          if (next) active[tab.identityId] = next.id;
          else delete active[tab.identityId];
        }
        return { tabs, active };
      });
    },
    retain(identityIds) {
      const gone = get().tabs.filter((t) => !identityIds.includes(t.identityId));
      if (gone.length) for (const t of gone) get().close(t.id);
    },
    closeIdentity(identityId) {
      for (const t of get().tabs.filter((x) => x.identityId === identityId)) get().close(t.id);
    },
  };
});
