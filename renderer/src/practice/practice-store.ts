import { create } from 'zustand';
import type { ScenarioKind, StagedScenarioInfo } from '../../../shared/domain/lab-scenarios';
import { call, errorText } from '../api/call';
import { useHealth } from '../health/health-store';
import { useSession } from '../stores/session-store';

interface PracticeState {
  open: boolean;
  staged: StagedScenarioInfo[];
  /** The scenario being staged, or 'heal' while healing. */
  busy: ScenarioKind | 'heal' | 'start' | null;
  error: string | null;
  /** Hide the answers: what to find and where to look stay folded until revealed (kept across sessions). */
  blind: boolean;
  setBlind(blind: boolean): void;
  show(): void;
  hide(): void;
  refresh(): Promise<void>;
  set(staged: StagedScenarioInfo[]): void;
  start(): Promise<void>;
  stage(request: { kind: ScenarioKind; node?: string; service?: string }): Promise<void>;
  healAll(): Promise<void>;
  heal(staged: StagedScenarioInfo): Promise<void>;
}

/** Health is recomputed at once after a stage or a heal, so the Overview answers without waiting for its next round. */
function refreshHealth() {
  const { activeId, selected } = useSession.getState();
  if (activeId && selected.length)
    void useHealth
      .getState()
      .refresh(activeId, selected)
      .catch(() => undefined);
}

/** The practice cluster menu: which scenarios are staged on the in-process practice cluster, staging and healing them. */
export const usePractice = create<PracticeState>((set, get) => ({
  open: false,
  staged: [],
  busy: null,
  error: null,
  blind: typeof localStorage !== 'undefined' && localStorage.getItem('nodeglass.practiseBlind') === 'true',
  setBlind(blind) {
    localStorage.setItem('nodeglass.practiseBlind', String(blind));
    set({ blind });
  },
  show() {
    set({ open: true, error: null });
    void get().refresh();
  },
  hide: () => set({ open: false, error: null }),
  async refresh() {
    try {
      set({ staged: await call('lab.scenarios', {}) });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  set: (staged) => set({ staged }),
  async start() {
    set({ busy: 'start', error: null });
    try {
      await useSession.getState().openPracticeCluster();
      await get().refresh();
    } finally {
      set({ busy: null });
    }
  },
  async stage(request) {
    if (get().busy) return;
    set({ busy: request.kind, error: null });
    try {
      await call('lab.stage', request);
      await get().refresh();
      refreshHealth();
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: null });
    }
  },
  async heal(staged) {
    if (get().busy) return;
    set({ busy: 'heal', error: null });
    try {
      await call('lab.heal', { kind: staged.kind, node: staged.node.ip, ...(staged.service ? { service: staged.service } : {}) });
      await get().refresh();
      refreshHealth();
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: null });
    }
  },
  async healAll() {
    if (get().busy) return;
    set({ busy: 'heal', error: null });
    try {
      await call('lab.clearScenarios', {});
      set({ staged: [] });
      refreshHealth();
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ busy: null });
    }
  },
}));
