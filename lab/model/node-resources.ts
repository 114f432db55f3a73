import { MachineConfigSpec } from '../../proto/gen/resource/config/config';
import type { LabNode, ServiceState } from './node';
import { putVolumes, refreshMachineStatus } from './health-resources';
import { refreshCompliance, refreshKernelParams } from './compliance-resources';
import { putDiskResources } from './disks';
import { NAMESPACES, RESOURCE_DEFINITIONS } from './resource-definitions';
import { putSecretResources } from './secret-resources';

const T = {
  mc: 'MachineConfigs.config.talos.dev',
  machineType: 'MachineTypes.config.talos.dev',
  members: 'Members.cluster.talos.dev',
  info: 'Infos.cluster.talos.dev',
  identity: 'Identities.cluster.talos.dev',
  nodename: 'Nodenames.kubernetes.talos.dev',
  hostname: 'HostnameStatuses.net.talos.dev',
  nodeAddress: 'NodeAddresses.net.talos.dev',
  address: 'AddressStatuses.net.talos.dev',
  route: 'RouteStatuses.net.talos.dev',
  link: 'LinkStatuses.net.talos.dev',
  resolver: 'ResolverStatuses.net.talos.dev',
  timeServer: 'TimeServerStatuses.net.talos.dev',
  service: 'Services.v1alpha1.talos.dev',
  machineStatus: 'MachineStatuses.runtime.talos.dev',
  security: 'SecurityStates.talos.dev',
  version: 'Versions.runtime.talos.dev',
  rd: 'ResourceDefinitions.meta.cosi.dev',
  ns: 'Namespaces.meta.cosi.dev',
} as const;

export const RESOURCE_TYPES = T;

/** The config body as Talos >= 1.12 stores it: yaml_spec is a YAML string scalar holding the whole config. */
export function putMachineConfig(node: LabNode, id: 'v1alpha1' | 'persistent', config: string): void {
  node.resources.put('config', T.mc, id, node.resourceYaml(config), {
    owner: '',
    annotations: { 'talos.dev/yaml-spec': '1' },
    protoSpec: MachineConfigSpec.encode({ yamlMarshalled: Buffer.from(config) }).finish(),
  });
  if (id === 'v1alpha1') refreshKernelParams(node);
}

/** Everything `talosctl get` can show for this node. */
export function populateResources(node: LabNode): void {
  const r = node.resources;
  const y = (spec: unknown) => node.resourceYaml(spec);
  const { ip, hostname, type, cluster } = node.id;
  for (const def of RESOURCE_DEFINITIONS) r.put('meta', T.rd, def.type.toLowerCase(), y(def), { owner: '' });
  for (const [name, description] of Object.entries(NAMESPACES)) r.put('meta', T.ns, name, y({ description }));
  putMachineConfig(node, 'v1alpha1', node.config.active);
  putMachineConfig(node, 'persistent', node.config.persistent);
  r.put('config', T.machineType, 'machine-type', y(type), { owner: 'config.MachineTypeController' });
  r.put('cluster', T.info, 'current', y({ clusterId: node.rng.hex(43), clusterName: cluster }), { owner: 'cluster.InfoController' });
  r.put('cluster', T.identity, 'local', y({ nodeId: node.machineId }), { owner: 'cluster.NodeIdentityController' });
  r.put('k8s', T.nodename, 'nodename', y({ nodename: hostname, hostnameVersion: '1', skipNodeRegistration: false }), {
    owner: 'k8s.NodenameController',
  });
  r.put('network', T.hostname, 'hostname', y({ hostname, domainname: '' }), { owner: 'network.HostnameStatusController' });
  for (const id of ['default', 'current', 'accumulative'])
    r.put('network', T.nodeAddress, id, y({ addresses: [`${ip}/24`], sortAlgorithm: 'v1' }), { owner: 'network.NodeAddressController' });
  r.put(
    'network',
    T.address,
    `eth0/${ip}/24`,
    y({
      address: `${ip}/24`,
      local: ip,
      broadcast: ip.replace(/\.\d+$/, '.255'),
      linkIndex: 2,
      linkName: 'eth0',
      family: 'inet4',
      scope: 'global',
      flags: 'permanent',
      priority: 1024,
    }),
    { owner: 'network.AddressStatusController' },
  );
  r.put(
    'network',
    T.address,
    'lo/127.0.0.1/8',
    y({
      address: '127.0.0.1/8',
      local: '127.0.0.1',
      linkIndex: 1,
      linkName: 'lo',
      family: 'inet4',
      scope: 'host',
      flags: 'permanent',
      priority: 0,
    }),
    { owner: 'network.AddressStatusController' },
  );
  r.put(
    'network',
    T.route,
    `inet4/${ip.replace(/\.\d+$/, '.1')}//1024`,
    y({
      family: 'inet4',
      dst: '',
      src: ip,
      gateway: ip.replace(/\.\d+$/, '.1'),
      outLinkIndex: 2,
      outLinkName: 'eth0',
      table: 'main',
      priority: 1024,
      scope: 'global',
      type: 'unicast',
      flags: '',
      protocol: 'static',
      mtu: 0,
    }),
    { owner: 'network.RouteStatusController' },
  );
  const mac = Array.from({ length: 6 }, (_v, i) => (i === 0 ? '02' : node.rng.hex(2))).join(':');
  r.put(
    'network',
    T.link,
    'eth0',
    y({
      index: 2,
      type: 'ether',
      hardwareAddr: mac,
      mtu: 1500,
      operationalState: 'up',
      kind: '',
      linkState: true,
      driver: 'virtio_net',
      speedMbit: 10000,
      duplex: 'Full',
    }),
    { owner: 'network.LinkStatusController' },
  );
  r.put(
    'network',
    T.link,
    'lo',
    y({
      index: 1,
      type: 'loopback',
      hardwareAddr: '00:00:00:00:00:00',
      mtu: 65536,
      operationalState: 'unknown',
      kind: '',
      linkState: true,
    }),
    { owner: 'network.LinkStatusController' },
  );
  r.put('network', T.resolver, 'resolvers', y({ dnsServers: ['10.5.0.1', '1.1.1.1'], searchDomains: [] }), {
    owner: 'network.ResolverMergeController',
  });
  r.put('network', T.timeServer, 'timeservers', y({ timeServers: ['time.cloudflare.com'], useNTS: false }), {
    owner: 'network.TimeServerMergeController',
  });
  r.put('runtime', T.version, 'version', y({ version: node.talosVersion, name: 'Talos' }), { owner: 'runtime.VersionController' });
  putVolumes(node);
  putSecretResources(node);
  for (const service of node.services.values()) updateServiceResource(node, service);
  refreshCompliance(node);
  putDiskResources(node);
}

/** Cluster membership is the same on every node: the lab writes each node's Member into all of them. */
export function putMembers(nodes: LabNode[]): void {
  for (const node of nodes) {
    for (const member of nodes) {
      node.resources.put(
        'cluster',
        T.members,
        member.id.hostname,
        node.resourceYaml({
          nodeId: member.machineId,
          addresses: [member.id.ip],
          hostname: member.id.hostname,
          machineType: member.id.type,
          operatingSystem: `Talos (${member.talosVersion})`,
          ...(member.id.type === 'controlplane' ? { controlPlane: { port: 6443 } } : {}),
        }),
        { owner: 'cluster.MemberController' },
      );
    }
  }
}

export function updateServiceResource(node: LabNode, service: ServiceState): void {
  const running = service.state === 'Running';
  node.resources.put(
    'runtime',
    T.service,
    service.def.id,
    node.resourceYaml({ running, healthy: running && service.healthy, unknown: service.unknown }),
    { owner: 'v1alpha1.ServiceController' },
  );
}

/** MachineStatus (and its event) from the node's current evidence. */
export function updateMachineStatus(node: LabNode): void {
  refreshMachineStatus(node);
}
