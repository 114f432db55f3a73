import { useEffect } from 'react';
import { create } from 'zustand';
import type { Shift } from '../../../shared/domain/shift';
import { call, errorText } from '../api/call';
import { useSession } from './session-store';
import { useUi } from './ui-store';

interface ShiftStore {
  shift: Shift | null;
  /** The locked identity the operator chose: the reason prompt is open for it. */
  unlocking: string | null;
  refresh(): Promise<void>;
  /** Picks an identity, asking for a reason first when a shift keeps it locked. */
  choose(id: string): Promise<void>;
  cancelUnlock(): void;
  start(viaId: string, node: string | null, ttlSeconds: number): Promise<void>;
  unlock(id: string, reason: string): Promise<void>;
  end(): Promise<void>;
}

/** The on-call shift as the host keeps it; the host is the one that refuses locked identities. */
export const useShift = create<ShiftStore>((set, get) => ({
  shift: null,
  unlocking: null,

  async refresh() {
    set({ shift: await call('shift.status', {}) });
  },

  async choose(id) {
    const session = useSession.getState();
    if (session.identities.find((i) => i.id === id)?.locked) return set({ unlocking: id });
    await session.selectIdentity(id);
  },

  cancelUnlock: () => set({ unlocking: null }),

  async start(viaId, node, ttlSeconds) {
    const { shift, identity } = await call('shift.start', { identityId: viaId, node, ttlSeconds });
    set({ shift });
    const session = useSession.getState();
    await session.refreshIdentities();
    await session.selectIdentity(identity.id);
    useUi
      .getState()
      .notify('info', `Shift started: you are now ${identity.name} (os:operator) until ${new Date(shift.endsAt).toLocaleTimeString()}.`);
  },

  async unlock(id, reason) {
    const shift = await call('shift.unlock', { identityId: id, reason });
    set({ shift, unlocking: null });
    const session = useSession.getState();
    await session.refreshIdentities();
    await session.selectIdentity(id);
  },

  async end() {
    const { shift } = get();
    try {
      await call('shift.end', {});
      set({ shift: null });
      await useSession.getState().refreshIdentities();
      useUi.getState().notify('info', `Shift ended${shift ? `: ${shift.operator.name} was removed from the vault` : ''}.`);
    } catch (error) {
      useUi.getState().notify('error', errorText(error));
    }
  },
}));

/** Loads the shift once, and refreshes it and the identities when its time is up (the host lifts the locks then). */
export function useShiftClock(): void {
  const shift = useShift((s) => s.shift);
  useEffect(() => {
    void useShift
      .getState()
      .refresh()
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!shift?.active) return;
    const wait = Date.parse(shift.endsAt) - Date.now() + 1000;
    if (wait > 2 ** 31 - 1) return;
    const timer = setTimeout(
      () => {
        void useShift.getState().refresh();
        void useSession.getState().refreshIdentities();
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(timer);
  }, [shift]);
}
