import { create } from 'zustand';
import type { EvidenceProgress, EvidenceStatus, PackComparison, StoredPack } from '../../../shared/domain/evidence';
import { call, errorText } from '../api/call';
import { getApi } from '../api';
import { useSession } from '../stores/session-store';

interface EvidenceState {
  status: EvidenceStatus | null;
  running: { runId: string; progress: EvidenceProgress | null } | null;
  last: StoredPack | null;
  error: string | null;
  comparison: (PackComparison & { markdown: string }) | null;
  refresh(): Promise<void>;
  /** Collects a pack for the active identity and every node of its cluster; progress arrives as events. */
  generate(from: string | null): Promise<void>;
  compare(before: string, after: string): Promise<void>;
}

let listening = false;

export const useEvidence = create<EvidenceState>((set, get) => ({
  status: null,
  running: null,
  last: null,
  error: null,
  comparison: null,
  async refresh() {
    try {
      set({ status: await call('evidence.status', {}) });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async generate(from) {
    const session = useSession.getState();
    const identityId = session.activeId;
    const nodes = session.nodes.map((n) => n.address);
    if (!identityId || nodes.length === 0 || get().running) return;
    if (!listening) {
      listening = true;
      getApi().on('evidence.progress', (progress) => {
        const running = get().running;
        if (running && running.runId === progress.runId) set({ running: { ...running, progress } });
      });
    }
    const runId = `ev-${Date.now().toString(36)}`;
    set({ running: { runId, progress: null }, error: null });
    try {
      const last = await call('evidence.generate', { identityId, nodes, from, runId });
      set({ last });
      await get().refresh();
    } catch (error) {
      set({ error: errorText(error) });
    } finally {
      set({ running: null });
    }
  },
  async compare(before, after) {
    try {
      set({ comparison: await call('evidence.compare', { before, after }), error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
}));
