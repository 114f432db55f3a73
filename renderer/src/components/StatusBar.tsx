import { useAudit } from '../stores/audit-store';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { plural } from '../lib/format';
import { expiryLabel } from './Sidebar';

export function StatusBar() {
  const host = useSession((s) => s.host);
  const vault = useSession((s) => s.vault);
  const lab = useSession((s) => s.lab);
  const selected = useSession((s) => s.selected);
  const nodesLoading = useSession((s) => s.nodesLoading);
  const identities = useSession((s) => s.identities);
  const identity = useActiveIdentity();
  const theme = useUi((s) => s.theme);
  const setView = useUi((s) => s.setView);
  const audit = useAudit((s) => s.verification);
  const expiring = identities.filter((i) => i.expiry !== 'ok');

  return (
    <footer className="statusbar" role="status" aria-label="Status">
      <span title="How this window reaches the Nodeglass host">
        {host === 'browser' ? 'Browser mode' : host === 'desktop' ? 'Desktop' : '…'}
      </span>
      {vault && <span>Vault: {vault.state}</span>}
      {audit?.state === 'broken' && (
        <button
          className="badge audit-broken"
          title={audit.firstBroken ? `${audit.firstBroken.file} line ${audit.firstBroken.line}: ${audit.firstBroken.reason}` : undefined}
          onClick={() => setView('audit')}
        >
          Audit trail broken
          {audit.firstBroken ? ` at ${audit.firstBroken.file} line ${audit.firstBroken.line}` : ''}
        </button>
      )}
      <span>{lab?.running ? `Practice cluster: ${lab.endpoint}` : 'Practice cluster: stopped'}</span>
      {identity && (
        <span>
          {identity.name} · {identity.roles.join(', ') || 'no roles'} ·{' '}
          {nodesLoading ? 'loading nodes…' : `${plural(selected.length, 'node')} selected`}
        </span>
      )}
      {expiring.map((i) => (
        <span key={i.id} className={`badge expiry-${i.expiry}`}>
          {i.name}: {expiryLabel(i.expiry, i.daysLeft)}
        </span>
      ))}
      <span className="spacer" />
      <span className="muted">Ctrl+K commands · {theme}</span>
    </footer>
  );
}
