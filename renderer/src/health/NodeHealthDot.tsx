import { useHealth } from './health-store';
import { VERDICT_HELP } from './verdict-help';

/** The node's health in the sidebar: its worst check, with what that means and why on hover (and for screen readers). */
export function NodeHealthDot({ node, identityId }: { node: string; identityId: string | null }) {
  const health = useHealth((s) =>
    identityId && s.session?.startsWith(`${identityId}|`) ? s.report?.nodes.find((n) => n.node === node) : undefined,
  );
  if (!health)
    return (
      <span
        className="health-dot verdict-none"
        role="img"
        aria-label="health not checked (select the node to check it)"
        title="Not checked: health is computed for the selected nodes"
      />
    );
  const why = health.answered ? '' : ` — ${health.failures[0]?.message ?? 'no answer'}`;
  const label = `health ${health.verdict}${why}`;
  return (
    <span
      className={`health-dot verdict-${health.verdict}`}
      role="img"
      aria-label={label}
      title={`${VERDICT_HELP[health.verdict]}${why}`}
    />
  );
}
