import { create } from 'zustand';
import type { ViewId } from '../views/registry';

export type Theme = 'dark' | 'light';

/** How the Overview shows nodes: a preference of the operator, kept across sessions (auto: table from a handful). */
export type OverviewLayout = 'auto' | 'table' | 'cards';

export interface Notice {
  id: number;
  kind: 'info' | 'error' | 'warning';
  text: string;
}

interface UiState {
  theme: Theme;
  view: ViewId;
  paletteOpen: boolean;
  shortcutsOpen: boolean;
  teach: boolean;
  overviewLayout: OverviewLayout;
  notices: Notice[];
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  setView(view: ViewId): void;
  setPaletteOpen(open: boolean): void;
  setShortcutsOpen(open: boolean): void;
  setTeach(teach: boolean): void;
  setOverviewLayout(layout: OverviewLayout): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

let noticeId = 0;
const storedTheme = (): Theme =>
  typeof localStorage !== 'undefined' && localStorage.getItem('nodeglass.theme') === 'light' ? 'light' : 'dark';

export const useUi = create<UiState>((set, get) => ({
  theme: storedTheme(),
  view: 'welcome',
  paletteOpen: false,
  shortcutsOpen: false,
  teach: true,
  overviewLayout: 'auto',
  notices: [],
  setTheme(theme) {
    localStorage.setItem('nodeglass.theme', theme);
    set({ theme });
  },
  toggleTheme() {
    get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },
  setView: (view) => set({ view }),
  setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  setTeach: (teach) => set({ teach }),
  setOverviewLayout: (overviewLayout) => set({ overviewLayout }),
  notify(kind, text) {
    const id = ++noticeId;
    set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
    if (kind === 'info') setTimeout(() => get().dismiss(id), 6000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
