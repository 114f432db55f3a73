import { useActiveIdentity } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { TAB_GROUPS } from '../views/tab-groups';
import { IdentityMark } from './IdentityMark';
import { GO_PREFIX } from '../lib/shortcuts';
import { RoleBadges } from './RoleBadges';

export function ViewTabs() {
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const toggleTheme = useUi((s) => s.toggleTheme);
  const identity = useActiveIdentity();
  return (
    <header className="topbar">
      <div role="tablist" aria-label="Views">
        {TAB_GROUPS.map((group) => (
          <span key={group.name} className="tab-group" role="presentation" title={group.name}>
            {group.tabs.map((t) => (
              <button
                key={t.id}
                role="tab"
                aria-selected={view === t.id}
                className={view === t.id ? 'tab active' : 'tab'}
                title={`${t.label} (${GO_PREFIX} then ${t.key})`}
                aria-keyshortcuts={`${GO_PREFIX} ${t.key}`}
                onClick={() => setView(t.id)}
              >
                {t.label}
              </button>
            ))}
          </span>
        ))}
      </div>
      <span className="spacer" />
      {identity && (
        <span className="header-identity" aria-label="Active identity">
          <IdentityMark identity={identity} />
          <span className="identity-roles" role="group" aria-label="Roles of the active identity">
            <RoleBadges roles={identity.roles} />
          </span>
        </span>
      )}
      <button
        className="link"
        onClick={() => useUi.getState().setShortcutsOpen(true)}
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
      >
        ?
      </button>
      <button className="link" onClick={toggleTheme} aria-label="Toggle theme" title="Toggle theme">
        ◐
      </button>
    </header>
  );
}
