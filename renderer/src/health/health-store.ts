import { create } from 'zustand';
import type { ClusterHealth } from '../../../shared/domain/health';
import { call, errorText } from '../api/call';

/** How often health is recomputed; a MachineStatus change (watched) refreshes it at once. */
export const HEALTH_REFRESH_MS = 15_000;

interface HealthState {
  /** The session (identity and nodes) the report is about: a report is never shown under another. */
  session: string | null;
  report: ClusterHealth | null;
  error: string | null;
  loading: boolean;
  refresh(identityId: string, nodes: string[]): Promise<void>;
}

const key = (identityId: string, nodes: string[]) => `${identityId}|${nodes.join(',')}`;

/** Cluster health for the active session; it lives in a store so the sidebar and the Overview share one report. */
export const useHealth = create<HealthState>((set, get) => ({
  session: null,
  report: null,
  error: null,
  loading: false,
  async refresh(identityId, nodes) {
    const session = key(identityId, nodes);
    if (get().session !== session) set({ session, report: null, error: null });
    set({ loading: true });
    try {
      const report = await call('health.cluster', { identityId, nodes });
      if (get().session === session) set({ report, error: null, loading: false });
    } catch (error) {
      if (get().session === session) set({ error: errorText(error), loading: false });
    }
  },
}));

/** The report for this session, or null while another session's is held. */
export function useHealthFor(identityId: string | null, nodes: string[]): HealthState {
  const state = useHealth();
  return identityId && state.session === key(identityId, nodes) ? state : { ...state, report: null, error: null };
}
