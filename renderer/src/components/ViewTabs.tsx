import { useActiveIdentity } from '../stores/session-store';
import { useUi, type ViewId } from '../stores/ui-store';
import { RoleBadges } from './RoleBadges';

const TABS: { id: ViewId; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'services', label: 'Services' },
  { id: 'logs', label: 'Logs' },
  { id: 'system', label: 'System' },
  { id: 'events', label: 'Events' },
  { id: 'kernel', label: 'Kernel' },
  { id: 'etcd', label: 'etcd' },
  { id: 'configs', label: 'Config' },
  { id: 'resources', label: 'Resources' },
  { id: 'files', label: 'Files' },
  { id: 'audit', label: 'Audit' },
  { id: 'identities', label: 'Identities' },
];

export function ViewTabs() {
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const toggleTheme = useUi((s) => s.toggleTheme);
  const identity = useActiveIdentity();
  return (
    <header className="topbar">
      <div role="tablist" aria-label="Views">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={view === t.id}
            className={view === t.id ? 'tab active' : 'tab'}
            onClick={() => setView(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <span className="spacer" />
      {identity && (
        <span className="identity-roles" aria-label="Roles of the active identity">
          <RoleBadges roles={identity.roles} />
        </span>
      )}
      <button className="link" onClick={toggleTheme} aria-label="Toggle theme">
        ◐
      </button>
    </header>
  );
}
