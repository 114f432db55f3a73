/** Nodes are grouped by role everywhere (sidebar, fleet table): control planes first. */
export const ROLE_GROUPS = [
  { id: 'controlplane', title: 'Control planes', noun: 'control planes' },
  { id: 'worker', title: 'Workers', noun: 'workers' },
  { id: 'other', title: 'Role unknown', noun: 'nodes of unknown role' },
] as const;

export type RoleGroup = (typeof ROLE_GROUPS)[number]['id'];

export function roleGroup(machineType: string | null | undefined): RoleGroup {
  if (machineType === 'controlplane' || machineType === 'init') return 'controlplane';
  return machineType === 'worker' ? 'worker' : 'other';
}
