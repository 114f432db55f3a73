import { usePractice } from '../practice/practice-store';
import { useAudit } from '../stores/audit-store';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useShift } from '../stores/shift-store';
import { IdentityMark } from './IdentityMark';
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
  const shift = useShift((s) => s.shift);
  const staged = usePractice((s) => s.staged.length);
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
      <button
        className="link status-lab"
        title={
          lab?.running
            ? 'Practice scenarios: stage a condition to diagnose, or heal them all'
            : 'Practice scenarios: start the practice cluster'
        }
        onClick={() => usePractice.getState().show()}
      >
        {lab?.running ? `Practice cluster: ${lab.endpoint}` : 'Practice cluster: stopped'}
        {lab?.running && staged ? ` · ${plural(staged, 'scenario')} staged` : ''}
      </button>
      {identity && (
        <span className="status-identity" aria-label="Active identity">
          {(identity.label || identity.readOnly) && <IdentityMark identity={identity} />} {identity.name} ·{' '}
          {identity.roles.join(', ') || 'no roles'} · {nodesLoading ? 'loading nodes…' : `${plural(selected.length, 'node')} selected`}
        </span>
      )}
      {shift?.active && (
        <span className="status-shift" aria-label="On-call shift">
          On shift until {new Date(shift.endsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}{' '}
          <button className="link" onClick={() => void useShift.getState().end()}>
            End shift
          </button>
        </span>
      )}
      {expiring.length === 1 && (
        <span className={`badge expiry-${expiring[0]!.expiry}`}>
          {expiring[0]!.name}: {expiryLabel(expiring[0]!.expiry, expiring[0]!.daysLeft)}
        </span>
      )}
      {expiring.length > 1 && (
        // Short-lived minted identities are always "expiring"; one badge lists them all instead of crowding the bar.
        <button
          className={`badge expiry-${expiring.some((i) => i.expiry !== 'soon') ? 'imminent' : 'soon'}`}
          title={expiring.map((i) => `${i.name}: ${expiryLabel(i.expiry, i.daysLeft)}`).join('\n')}
          onClick={() => setView('identities')}
        >
          {plural(expiring.length, 'identity', 'identities')} expiring
        </button>
      )}
      <span className="spacer" />
      <span className="muted">
        <kbd>Ctrl+K</kbd> commands · <kbd>?</kbd> shortcuts · {theme}
      </span>
    </footer>
  );
}
