import { DAY_TWO_DEFS } from './resource-definitions-day-two';
import { SENSITIVE_DEFS } from './secret-resources';

/** Resource definitions the lab serves, with aliases generated the way the COSI runtime does. */
export interface ResourceDefinitionSpec {
  type: string;
  displayType: string;
  defaultNamespace: string;
  aliases: string[];
  allAliases: string[];
  printColumns: { name: string; jsonPath: string }[];
  sensitivity?: 'sensitive';
}

export interface Def {
  type: string;
  ns: string;
  extraAliases?: string[];
  columns?: [string, string][];
  sensitive?: boolean;
  /** COSI's SkipAutomaticAliases: only the explicit aliases. */
  noAutoAliases?: boolean;
}

const DEFS: Def[] = [
  { type: 'MachineConfigs.config.talos.dev', ns: 'config', sensitive: true },
  { type: 'MachineTypes.config.talos.dev', ns: 'config', columns: [['Type', '{@}']] },
  {
    type: 'Members.cluster.talos.dev',
    ns: 'cluster',
    columns: [
      ['Hostname', '{.hostname}'],
      ['Machine Type', '{.machineType}'],
      ['OS', '{.operatingSystem}'],
      ['Addresses', '{.addresses}'],
    ],
  },
  {
    type: 'Infos.cluster.talos.dev',
    ns: 'cluster',
    columns: [
      ['ID', '{.clusterId}'],
      ['Name', '{.clusterName}'],
    ],
  },
  { type: 'Identities.cluster.talos.dev', ns: 'cluster', columns: [['ID', '{.nodeId}']] },
  { type: 'Nodenames.kubernetes.talos.dev', ns: 'k8s', columns: [['Nodename', '{.nodename}']] },
  {
    type: 'HostnameStatuses.net.talos.dev',
    ns: 'network',
    extraAliases: ['hostname'],
    columns: [
      ['Hostname', '{.hostname}'],
      ['Domainname', '{.domainname}'],
    ],
  },
  { type: 'NodeAddresses.net.talos.dev', ns: 'network', columns: [['Addresses', '{.addresses}']] },
  {
    type: 'AddressStatuses.net.talos.dev',
    ns: 'network',
    extraAliases: ['address', 'addresses'],
    columns: [
      ['Address', '{.address}'],
      ['Link', '{.linkName}'],
    ],
  },
  {
    type: 'RouteStatuses.net.talos.dev',
    ns: 'network',
    extraAliases: ['route', 'routes'],
    columns: [
      ['Destination', '{.dst}'],
      ['Gateway', '{.gateway}'],
      ['Link', '{.outLinkName}'],
      ['Metric', '{.priority}'],
    ],
  },
  {
    type: 'LinkStatuses.net.talos.dev',
    ns: 'network',
    extraAliases: ['link', 'links'],
    columns: [
      ['Type', '{.type}'],
      ['Kind', '{.kind}'],
      ['Hw Addr', '{.hardwareAddr}'],
      ['Oper State', '{.operationalState}'],
      ['Link State', '{.linkState}'],
    ],
  },
  { type: 'ResolverStatuses.net.talos.dev', ns: 'network', extraAliases: ['resolvers'], columns: [['Resolvers', '{.dnsServers}']] },
  {
    type: 'TimeServerStatuses.net.talos.dev',
    ns: 'network',
    extraAliases: ['timeserver', 'timeservers'],
    columns: [['Timeservers', '{.timeServers}']],
  },
  {
    type: 'Services.v1alpha1.talos.dev',
    ns: 'runtime',
    extraAliases: ['svc', 'service', 'services'],
    columns: [
      ['Running', '{.running}'],
      ['Healthy', '{.healthy}'],
      ['Health Unknown', '{.unknown}'],
    ],
  },
  {
    type: 'MachineStatuses.runtime.talos.dev',
    ns: 'runtime',
    columns: [
      ['Stage', '{.stage}'],
      ['Ready', '{.status.ready}'],
    ],
  },
  {
    type: 'SecurityStates.talos.dev',
    ns: 'runtime',
    columns: [
      ['SecureBoot', '{.secureBoot}'],
      ['SELinux', '{.selinuxState}'],
      ['FIPS', '{.fipsState}'],
    ],
  },
  { type: 'Versions.runtime.talos.dev', ns: 'runtime', columns: [['Version', '{.version}']] },
  {
    type: 'StaticPodStatuses.kubernetes.talos.dev',
    ns: 'k8s',
    extraAliases: ['podstatus'],
    columns: [['Ready', '{.conditions[?(@.type=="Ready")].status}']],
  },
  {
    type: 'TimeStatuses.v1alpha1.talos.dev',
    ns: 'runtime',
    columns: [
      ['Synced', '{.synced}'],
      ['Epoch', '{.epoch}'],
      ['Sync Disabled', '{.syncDisabled}'],
    ],
  },
  {
    type: 'NodeStatuses.kubernetes.talos.dev',
    ns: 'k8s',
    columns: [
      ['Node Ready', '{.nodeReady}'],
      ['Unschedulable', '{.unschedulable}'],
    ],
  },
  {
    type: 'NetworkStatuses.net.talos.dev',
    ns: 'network',
    extraAliases: ['netstatus'],
    columns: [
      ['Address', '{.addressReady}'],
      ['Connectivity', '{.connectivityReady}'],
      ['Hostname', '{.hostnameReady}'],
      ['Etc', '{.etcFilesReady}'],
    ],
  },
  { type: 'EtcdMembers.etcd.talos.dev', ns: 'etcd', columns: [['Member ID', '{.memberID}']] },
  {
    type: 'Diagnostics.runtime.talos.dev',
    ns: 'runtime',
    columns: [
      ['Message', '{.message}'],
      ['Details', '{.details}'],
    ],
  },
  {
    type: 'VolumeStatuses.block.talos.dev',
    ns: 'runtime',
    columns: [
      ['Type', '{.type}'],
      ['Phase', '{.phase}'],
      ['Location', '{.location}'],
      ['Size', '{.prettySize}'],
    ],
  },
  {
    type: 'MountStatuses.runtime.talos.dev',
    ns: 'runtime',
    noAutoAliases: true,
    extraAliases: ['mounts'],
    columns: [
      ['Source', '{.source}'],
      ['Target', '{.target}'],
      ['Filesystem Type', '{.filesystemType}'],
    ],
  },
  {
    type: 'MountStatuses.block.talos.dev',
    ns: 'runtime',
    columns: [
      ['Source', '{.source}'],
      ['Target', '{.target}'],
      ['Filesystem', '{.filesystem}'],
      ['Volume', '{.spec.volumeID}'],
    ],
  },
  { type: 'ResourceDefinitions.meta.cosi.dev', ns: 'meta' },
  { type: 'Namespaces.meta.cosi.dev', ns: 'meta', columns: [['Description', '{.description}']] },
];

function singular(word: string): string {
  if (/(ses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

export function makeDefinition(def: Def): ResourceDefinitionSpec {
  const segments = def.type.split('.');
  const plural = segments[0] ?? def.type;
  const displayType = singular(plural);
  const aliases = def.noAutoAliases ? [] : [displayType.toLowerCase()];
  const abbreviation = displayType.replace(/[^A-Z]/g, '').toLowerCase();
  if (!def.noAutoAliases && abbreviation.length > 1) aliases.push(abbreviation, `${abbreviation}s`);
  for (const extra of def.extraAliases ?? []) if (!aliases.includes(extra)) aliases.push(extra);
  const allAliases = [plural.toLowerCase()];
  for (let i = 2; i < segments.length; i++) allAliases.push(segments.slice(0, i).join('.').toLowerCase());
  for (const alias of aliases) if (!allAliases.includes(alias)) allAliases.push(alias);
  return {
    type: def.type,
    displayType,
    defaultNamespace: def.ns,
    aliases,
    allAliases,
    printColumns: (def.columns ?? []).map(([name, jsonPath]) => ({ name, jsonPath })),
    ...(def.sensitive ? { sensitivity: 'sensitive' as const } : {}),
  };
}

export const RESOURCE_DEFINITIONS: ResourceDefinitionSpec[] = [...DEFS, ...DAY_TWO_DEFS, ...SENSITIVE_DEFS].map(makeDefinition);

export const NAMESPACES: Record<string, string> = {
  cluster: 'Cluster configuration and discovery resources.',
  config: 'Talos node configuration.',
  k8s: 'Kubernetes all node types resources.',
  meta: 'Metadata namespace which contains resource definitions.',
  network: 'Networking resources.',
  runtime: 'Talos runtime resources.',
  secrets: 'Resources with secret material.',
  etcd: 'etcd resources.',
  controlplane: 'Kubernetes control plane resources.',
  cri: 'CRI resources.',
  files: 'Files resources.',
  kubespan: 'KubeSpan resources.',
};

/** As Talos decides it: from the type's ResourceDefinition. */
export function isSensitive(type: string): boolean {
  return RESOURCE_DEFINITIONS.find((d) => d.type.toLowerCase() === type.toLowerCase())?.sensitivity === 'sensitive';
}
