import { usePractice } from '../practice/practice-store';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';

export function WelcomeView() {
  const openPracticeCluster = useSession((s) => s.openPracticeCluster);
  const setView = useUi((s) => s.setView);
  return (
    <div className="welcome">
      <h1>Welcome to Nodeglass</h1>
      <p>
        A console for Talos Linux nodes. Talos has no shell and no SSH: everything goes through its mTLS API. Nodeglass keeps your client
        certificates encrypted and turns that API into screens, and shows the <code>talosctl</code> command behind every one.
      </p>
      <div className="welcome-actions">
        <button className="primary" onClick={() => setView('identities')}>
          Import talosconfig
        </button>
        <button onClick={() => void openPracticeCluster()}>Open practice cluster</button>
        <button onClick={() => usePractice.getState().show()}>Practice scenarios…</button>
      </div>
      <p className="muted">
        The practice cluster is a simulated Talos cluster on this machine, served over real mTLS. It is safe to break: Practice scenarios
        stages a crash loop, a full etcd, drifted config and more on it, for you to diagnose.
      </p>
    </div>
  );
}
