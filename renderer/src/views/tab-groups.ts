import { VIEWS } from './registry';

type View = (typeof VIEWS)[number];

/** The tabs in three groups (what one node runs, what the cluster says, what the operator does). */
const GROUPS: { name: string; views: readonly string[] }[] = [
  { name: 'Node', views: ['overview', 'services', 'logs', 'system', 'network', 'storage', 'runtime', 'kernel', 'files'] },
  { name: 'Cluster', views: ['timeline', 'events', 'etcd', 'configs', 'resources'] },
  { name: 'Actions and trust', views: ['operations', 'evidence', 'audit', 'identities'] },
];
const grouped = new Set(GROUPS.flatMap((g) => g.views));

export const TAB_GROUPS: { name: string; tabs: readonly View[] }[] = GROUPS.map((g, i) => ({
  name: g.name,
  // A view no group names yet still gets a tab, in the last group.
  tabs: VIEWS.filter((v) => g.views.includes(v.id) || (i === GROUPS.length - 1 && !grouped.has(v.id))).sort(
    (a, b) => g.views.indexOf(a.id) - g.views.indexOf(b.id),
  ),
}));

/** Every view in the order the tabs show them. */
export const TAB_ORDER: readonly View[] = TAB_GROUPS.flatMap((g) => g.tabs);
