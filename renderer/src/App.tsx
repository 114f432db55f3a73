import { useEffect } from 'react';
import { getApi } from './api';
import { CommandPalette } from './components/CommandPalette';
import { Notices } from './components/Notices';
import { ShortcutList } from './components/ShortcutList';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { ViewTabs } from './components/ViewTabs';
import { useGlobalKeys } from './lib/global-keys';
import { followOperations } from './operations/operation-store';
import { useHealthFollower } from './health/use-health-follower';
import { PlanDialog } from './operations/PlanDialog';
import { PracticeDialog } from './practice/PracticeDialog';
import { usePractice } from './practice/practice-store';
import { useAudit } from './stores/audit-store';
import { UnlockDialog } from './identities/ShiftDialogs';
import { useActiveIdentity, useSession } from './stores/session-store';
import { useShiftClock } from './stores/shift-store';
import { useUi } from './stores/ui-store';
import { VIEWS } from './views/registry';
import { WelcomeView } from './views/WelcomeView';

function MainView() {
  const view = useUi((s) => s.view);
  const hasIdentity = useSession((s) => s.identities.length > 0 && s.activeId !== null);
  const session = useSession((s) => `${s.activeId ?? 'none'}|${s.selected.join(',')}`);
  const spec = VIEWS.find((v) => v.id === view);
  if (!spec || (spec.needsIdentity && !hasIdentity)) return <WelcomeView />;
  const View = spec.component;
  // A view belongs to the session (identity, nodes) it was opened with: a switch mounts it afresh, so no
  // result, diff, revealed value or banner of one identity is ever shown under another. Work that must
  // outlive a screen (log sessions) lives in stores, not in views.
  return <View key={session} />;
}

export function App() {
  const theme = useUi((s) => s.theme);
  const loaded = useSession((s) => s.loaded);
  const mark = useActiveIdentity()?.colour ?? undefined;
  useGlobalKeys();
  useShiftClock();
  useHealthFollower();
  useEffect(() => {
    void useSession.getState().init();
    void useAudit
      .getState()
      .refresh()
      .catch(() => undefined);
    const offLab = getApi().on('lab.changed', (lab) => useSession.getState().setLab(lab));
    const offScenarios = getApi().on('lab.scenariosChanged', (staged) => usePractice.getState().set(staged));
    const offAudit = getApi().on('audit.changed', (verification) => useAudit.getState().set(verification));
    const offOperations = followOperations();
    return () => {
      offLab();
      offScenarios();
      offAudit();
      offOperations();
    };
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className="app" data-mark-colour={mark}>
      <Sidebar />
      <main className="main">
        <ViewTabs />
        <div className="view">{loaded ? <MainView /> : <p className="muted">Connecting to the Nodeglass host…</p>}</div>
      </main>
      <StatusBar />
      <CommandPalette />
      <ShortcutList />
      <PlanDialog />
      <PracticeDialog />
      <Notices />
      <UnlockDialog />
    </div>
  );
}
