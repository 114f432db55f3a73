import { create } from 'zustand';
import type { IdentitySummary, VaultStatus } from '../../../shared/domain/identity';
import type { LabStatus } from '../../../shared/domain/lab';
import type { NodeRef } from '../../../shared/domain/node';
import { call, errorText } from '../api/call';
import { useLogTabs } from '../logs/log-tabs';
import { useUi } from './ui-store';

interface SessionState {
  host: 'desktop' | 'browser' | null;
  version: string;
  vault: VaultStatus | null;
  lab: LabStatus | null;
  identities: IdentitySummary[];
  loaded: boolean;
  activeId: string | null;
  nodes: NodeRef[];
  nodesError: string | null;
  /** True while the active identity's nodes are being listed (a cluster that is starting takes a moment). */
  nodesLoading: boolean;
  selected: string[];
  init(): Promise<void>;
  refreshIdentities(): Promise<void>;
  refreshVault(): Promise<void>;
  selectIdentity(id: string | null): Promise<void>;
  setSelected(nodes: string[]): void;
  toggleNode(node: string, additive: boolean): void;
  openPracticeCluster(): Promise<void>;
  setLab(lab: LabStatus): void;
}

export const useSession = create<SessionState>((set, get) => ({
  host: null,
  version: '',
  vault: null,
  lab: null,
  identities: [],
  loaded: false,
  activeId: null,
  nodes: [],
  nodesError: null,
  nodesLoading: false,
  selected: [],

  async init() {
    try {
      const [info, vault, lab, identities] = await Promise.all([
        call('app.info', {}),
        call('vault.status', {}),
        call('lab.status', {}),
        call('identities.list', {}),
      ]);
      set({ host: info.host, version: info.version, vault, lab, identities, loaded: true });
      const first = identities[0];
      if (vault.state === 'locked' && identities.some((i) => !i.practice)) {
        useUi.getState().setView('identities');
        useUi.getState().notify('info', 'Unlock the vault to connect with your imported identities.');
      } else if (first) {
        await get().selectIdentity(first.id);
        useUi.getState().setView('overview');
      }
    } catch (error) {
      set({ loaded: true });
      useUi.getState().notify('error', errorText(error));
    }
  },

  async refreshIdentities() {
    const identities = await call('identities.list', {});
    set({ identities });
    // Log sessions of identities that are gone (removed, or the practice cluster stopped) go with them.
    useLogTabs.getState().retain(identities.map((i) => i.id));
    const { activeId } = get();
    if (activeId && !identities.some((i) => i.id === activeId)) await get().selectIdentity(identities[0]?.id ?? null);
  },

  async refreshVault() {
    set({ vault: await call('vault.status', {}) });
  },

  async selectIdentity(id) {
    set({ activeId: id, nodes: [], selected: [], nodesError: null, nodesLoading: Boolean(id) });
    if (!id) return;
    try {
      const nodes = await call('nodes.list', { identityId: id });
      if (get().activeId !== id) return;
      set({ nodes, selected: nodes.slice(0, 1).map((n) => n.address), nodesLoading: false });
    } catch (error) {
      if (get().activeId === id) set({ nodesError: errorText(error), nodesLoading: false });
    }
  },

  setSelected: (selected) => set({ selected }),

  toggleNode(node, additive) {
    const { selected } = get();
    if (!additive) return set({ selected: [node] });
    const next = selected.includes(node) ? selected.filter((n) => n !== node) : [...selected, node];
    set({ selected: next.length ? next : [node] });
  },

  async openPracticeCluster() {
    const ui = useUi.getState();
    try {
      const lab = await call('lab.start', {});
      set({ lab });
      await get().refreshIdentities();
      const admin = get().identities.find((i) => i.practice && i.roles.includes('os:admin'));
      if (admin) await get().selectIdentity(admin.id);
      ui.setView('overview');
      ui.notify('info', `Practice cluster "${lab.cluster}" is running at ${lab.endpoint}.`);
    } catch (error) {
      ui.notify('error', errorText(error));
    }
  },

  setLab(lab) {
    const wasRunning = get().lab?.running ?? false;
    set({ lab });
    // The practice identities come and go with the practice cluster.
    if (wasRunning !== lab.running)
      void get()
        .refreshIdentities()
        .catch(() => undefined);
  },
}));

export function useActiveIdentity(): IdentitySummary | null {
  return useSession((s) => s.identities.find((i) => i.id === s.activeId) ?? null);
}
