import type { ComponentType } from 'react';
import { AuditView } from './AuditView';
import { ConfigsView } from './ConfigsView';
import { EtcdView } from './EtcdView';
import { EventsView } from './EventsView';
import { FilesView } from './FilesView';
import { IdentitiesView } from './IdentitiesView';
import { KernelView } from './KernelView';
import { LOG_KEYS, LogsView } from './LogsView';
import { OverviewView } from './OverviewView';
import { OperationsView } from '../operations/OperationsView';
import { EvidenceView } from '../evidence/EvidenceView';
import { ResourcesView } from './ResourcesView';
import { ServicesView } from './ServicesView';
import { SystemView } from './SystemView';
import { NetworkView } from '../day-two/NetworkView';
import { RuntimeView } from '../day-two/RuntimeView';
import { StorageView } from '../day-two/StorageView';
import { TimelineView } from './TimelineView';
import type { Shortcut } from '../lib/shortcuts';

export interface ViewSpec {
  id: string;
  /** The tab's label. */
  label: string;
  /** The command palette's entry. */
  command: string;
  component: ComponentType;
  /** Views about nodes need an identity; without one the welcome screen shows instead. */
  needsIdentity: boolean;
  /** The mnemonic: `g` then this letter opens the view (see lib/shortcuts.ts). */
  key: string;
  /** Keys that work on this view only, for the shortcut list. */
  shortcuts?: readonly Shortcut[];
}

/** Every view, in tab order: the tabs, the command palette and the main area all read this one list. */
export const VIEWS = [
  { id: 'overview', label: 'Overview', command: 'Go to Overview', component: OverviewView, needsIdentity: true, key: 'o' },
  { id: 'services', label: 'Services', command: 'Go to Services', component: ServicesView, needsIdentity: true, key: 's' },
  {
    id: 'logs',
    label: 'Logs',
    command: 'Go to Logs (merged, searchable)',
    component: LogsView,
    needsIdentity: true,
    key: 'l',
    shortcuts: [
      { keys: [LOG_KEYS.fullScreen], what: 'Full screen (Esc leaves)' },
      { keys: [LOG_KEYS.wrap], what: 'Wrap long lines' },
      { keys: [LOG_KEYS.time], what: 'Show or hide timestamps' },
      { keys: [LOG_KEYS.columns], what: 'Level, component and message as columns' },
      { keys: ['Enter'], what: 'In the search box: next match' },
      { keys: ['Shift+click'], what: 'Extend the selection of lines to copy' },
    ],
  },
  {
    id: 'system',
    label: 'System',
    command: 'Go to System (processes, memory, mounts, containers)',
    component: SystemView,
    needsIdentity: true,
    key: 'y',
  },
  {
    id: 'network',
    label: 'Network',
    command: 'Go to Network (netstat, addresses, links, routes, packet capture)',
    component: NetworkView,
    needsIdentity: true,
    key: 'n',
  },
  {
    id: 'storage',
    label: 'Storage',
    command: 'Go to Storage (disks, volumes, usage)',
    component: StorageView,
    needsIdentity: true,
    key: 'g',
  },
  {
    id: 'runtime',
    label: 'Runtime',
    command: 'Go to Runtime (container stats, cgroups, images, time)',
    component: RuntimeView,
    needsIdentity: true,
    key: 't',
  },
  {
    id: 'timeline',
    label: 'Timeline',
    command: 'Go to the incident timeline (events, restarts, boots, applies, kernel errors, your actions)',
    component: TimelineView,
    needsIdentity: true,
    key: 'h',
  },
  { id: 'events', label: 'Events', command: 'Go to Events timeline', component: EventsView, needsIdentity: true, key: 'e' },
  { id: 'kernel', label: 'Kernel', command: 'Go to Kernel log (dmesg)', component: KernelView, needsIdentity: true, key: 'k' },
  { id: 'etcd', label: 'etcd', command: 'Go to etcd', component: EtcdView, needsIdentity: true, key: 'd' },
  {
    id: 'configs',
    label: 'Config',
    command: 'Go to machine config (view, reveal, diff)',
    component: ConfigsView,
    needsIdentity: true,
    key: 'c',
  },
  {
    id: 'resources',
    label: 'Resources',
    command: 'Go to resources (talosctl get)',
    component: ResourcesView,
    needsIdentity: true,
    key: 'r',
  },
  { id: 'files', label: 'Files', command: 'Go to files (talosctl ls, read)', component: FilesView, needsIdentity: true, key: 'f' },
  {
    id: 'operations',
    label: 'Operations',
    command: 'Go to Operations (plans and rolling progress)',
    component: OperationsView,
    needsIdentity: false,
    key: 'p',
  },
  {
    id: 'evidence',
    label: 'Evidence',
    command: 'Go to Evidence (compliance packs, compare)',
    component: EvidenceView,
    needsIdentity: true,
    key: 'v',
  },
  { id: 'audit', label: 'Audit', command: 'Go to Audit trail', component: AuditView, needsIdentity: false, key: 'a' },
  { id: 'identities', label: 'Identities', command: 'Go to Identities', component: IdentitiesView, needsIdentity: false, key: 'i' },
] as const satisfies readonly ViewSpec[];

/** A registered view, or the welcome screen shown before there is an identity. */
export type ViewId = (typeof VIEWS)[number]['id'] | 'welcome';
