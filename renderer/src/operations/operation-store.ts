import { create } from 'zustand';
import type { Operation, OperationAction } from '../../../shared/domain/operation';
import { getApi } from '../api';
import { call, errorText } from '../api/call';
import { useUi } from '../stores/ui-store';

/** What the plan dialog opens with: the action and the nodes the view had selected (the dialog lets the operator change both). */
export interface PlanDraft {
  action: OperationAction;
  nodes: string[];
}

interface OperationsState {
  /** Every operation the host knows, newest first; they run on the host, this store only mirrors them. */
  operations: Operation[];
  draft: PlanDraft | null;
  /** The operation the Operations view shows. */
  focused: string | null;
  openPlan(draft: PlanDraft): void;
  closePlan(): void;
  focus(id: string | null): void;
  control(id: string, action: 'pause' | 'resume' | 'cancel'): Promise<void>;
}

export const useOperations = create<OperationsState>((set) => ({
  operations: [],
  draft: null,
  focused: null,
  openPlan: (draft) => set({ draft }),
  closePlan: () => set({ draft: null }),
  focus: (focused) => set({ focused }),
  async control(id, action) {
    try {
      upsert(await call('operations.control', { operationId: id, action }));
    } catch (error) {
      useUi.getState().notify('error', errorText(error));
    }
  },
}));

function upsert(op: Operation): Operation | undefined {
  const previous = useOperations.getState().operations.find((o) => o.id === op.id);
  useOperations.setState((s) => ({
    operations: previous ? s.operations.map((o) => (o.id === op.id ? op : o)) : [op, ...s.operations],
  }));
  return previous;
}

/** One line for the in-app notice; the desktop notification carries the whole reason. */
function headline(op: Operation): string {
  if (op.state === 'succeeded') return `${op.title} finished: ${op.steps.length} node(s) done.`;
  if (op.state === 'cancelled') return `${op.title} was cancelled; the remaining nodes were not touched.`;
  const failed = op.steps.find((s) => s.failure);
  return failed?.failure ? `${op.title} stopped at ${failed.node}: “${failed.failure.check}” failed.` : `${op.title} stopped.`;
}

/** A desktop notification (and an in-app notice) when an operation ends, so the operator can look away during a roll. */
function announce(op: Operation): void {
  const title = headline(op);
  useUi.getState().notify(op.state === 'succeeded' ? 'info' : 'warning', title);
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    try {
      new Notification(title, { body: op.reason ?? `${op.cluster}, ${op.identityName}`, tag: op.id });
    } catch {
      // Some platforms refuse page notifications; the in-app notice stands.
    }
  }
}

/** Asks for notification permission when the operator starts an operation (a user gesture), once. */
export function askForNotifications(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default')
    void Notification.requestPermission().catch(() => undefined);
}

/** Mirrors the host's operations for the app's lifetime: started once from App, independent of any screen. */
export function followOperations(): () => void {
  void call('operations.list', {}).then(
    (operations) => useOperations.setState({ operations }),
    () => undefined,
  );
  return getApi().on('operations.changed', (op) => {
    const previous = upsert(op);
    if (op.endedAt && !previous?.endedAt) announce(op);
  });
}

/** Adds an operation the host just started (its first event may still be on the way) and shows it. */
export function trackStarted(op: Operation): void {
  if (!useOperations.getState().operations.some((o) => o.id === op.id)) upsert(op);
  useOperations.getState().focus(op.id);
}
