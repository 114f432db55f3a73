export function RoleBadges({ roles }: { roles: string[] }) {
  if (roles.length === 0) return <span className="badge badge-muted">no roles</span>;
  return (
    <>
      {roles.map((r) => (
        <span key={r} className={`badge role-${r.replace(/[^a-z]/g, '-')}`}>
          {r}
        </span>
      ))}
    </>
  );
}
