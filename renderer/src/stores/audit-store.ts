import { create } from 'zustand';
import type { AuditVerification } from '../../../shared/domain/audit';
import { call } from '../api/call';

interface AuditState {
  /** The last verification the host reported (on unlock, on the Audit screen, or when an append found a change). */
  verification: AuditVerification | null;
  set(verification: AuditVerification): void;
  refresh(): Promise<AuditVerification>;
}

export const useAudit = create<AuditState>((set) => ({
  verification: null,
  set: (verification) => set({ verification }),
  async refresh() {
    const verification = await call('audit.verify', {});
    set({ verification });
    return verification;
  },
}));
