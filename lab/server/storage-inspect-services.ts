import * as grpc from '@grpc/grpc-js';
import { DependencyEdgeType as Edge, InspectServiceService, type InspectServiceServer } from '../../proto/gen/inspect/inspect';
import { Disk_DiskType as DiskType, StorageServiceService, type StorageServiceServer } from '../../proto/gen/storage/storage';
import { disksOf } from '../model/disks';
import type { Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { serviceKit } from './machine-kit';

type Defs = Parameters<typeof serviceKit>[0];

/** Controllers and the resources they read and write: the graph `talosctl inspect dependencies` draws. */
const GRAPH: [string, Edge, string, string][] = [
  ['config.MachineTypeController', Edge.OUTPUT_EXCLUSIVE, 'config', 'MachineTypes.config.talos.dev'],
  ['config.MachineTypeController', Edge.INPUT_WEAK, 'config', 'MachineConfigs.config.talos.dev'],
  ['cluster.InfoController', Edge.OUTPUT_EXCLUSIVE, 'cluster', 'Infos.cluster.talos.dev'],
  ['cluster.MemberController', Edge.OUTPUT_EXCLUSIVE, 'cluster', 'Members.cluster.talos.dev'],
  ['cluster.MemberController', Edge.INPUT_WEAK, 'cluster', 'Affiliates.cluster.talos.dev'],
  ['cluster.NodeIdentityController', Edge.OUTPUT_EXCLUSIVE, 'cluster', 'Identities.cluster.talos.dev'],
  ['etcd.MemberController', Edge.OUTPUT_EXCLUSIVE, 'etcd', 'EtcdMembers.etcd.talos.dev'],
  ['etcd.MemberController', Edge.INPUT_WEAK, 'runtime', 'Services.v1alpha1.talos.dev'],
  ['k8s.NodenameController', Edge.OUTPUT_EXCLUSIVE, 'k8s', 'Nodenames.kubernetes.talos.dev'],
  ['k8s.NodenameController', Edge.INPUT_WEAK, 'network', 'HostnameStatuses.net.talos.dev'],
  ['k8s.StaticPodStatusController', Edge.OUTPUT_EXCLUSIVE, 'k8s', 'StaticPodStatuses.kubernetes.talos.dev'],
  ['network.AddressStatusController', Edge.OUTPUT_EXCLUSIVE, 'network', 'AddressStatuses.net.talos.dev'],
  ['network.HostnameStatusController', Edge.OUTPUT_EXCLUSIVE, 'network', 'HostnameStatuses.net.talos.dev'],
  ['network.LinkStatusController', Edge.OUTPUT_EXCLUSIVE, 'network', 'LinkStatuses.net.talos.dev'],
  ['network.NodeAddressController', Edge.OUTPUT_EXCLUSIVE, 'network', 'NodeAddresses.net.talos.dev'],
  ['network.NodeAddressController', Edge.INPUT_WEAK, 'network', 'AddressStatuses.net.talos.dev'],
  ['network.NodeAddressController', Edge.INPUT_WEAK, 'network', 'LinkStatuses.net.talos.dev'],
  ['network.ResolverMergeController', Edge.OUTPUT_SHARED, 'network', 'ResolverStatuses.net.talos.dev'],
  ['network.RouteStatusController', Edge.OUTPUT_EXCLUSIVE, 'network', 'RouteStatuses.net.talos.dev'],
  ['network.StatusController', Edge.OUTPUT_EXCLUSIVE, 'network', 'NetworkStatuses.net.talos.dev'],
  ['network.StatusController', Edge.INPUT_WEAK, 'network', 'NodeAddresses.net.talos.dev'],
  ['network.StatusController', Edge.INPUT_WEAK, 'network', 'RouteStatuses.net.talos.dev'],
  ['network.StatusController', Edge.INPUT_WEAK, 'network', 'HostnameStatuses.net.talos.dev'],
  ['network.TimeServerMergeController', Edge.OUTPUT_SHARED, 'network', 'TimeServerStatuses.net.talos.dev'],
  ['runtime.ExtensionStatusController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'ExtensionStatuses.runtime.talos.dev'],
  ['runtime.KernelCmdlineController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'KernelCmdlines.runtime.talos.dev'],
  ['runtime.KernelParamSpecController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'KernelParamStatuses.runtime.talos.dev'],
  ['runtime.KernelParamSpecController', Edge.INPUT_STRONG, 'runtime', 'KernelParamSpecs.runtime.talos.dev'],
  ['runtime.KernelParamSpecController', Edge.INPUT_STRONG, 'runtime', 'KernelParamDefaultSpecs.runtime.talos.dev'],
  ['runtime.MachineStatusController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'MachineStatuses.runtime.talos.dev'],
  ['runtime.MachineStatusController', Edge.INPUT_WEAK, 'runtime', 'Services.v1alpha1.talos.dev'],
  ['runtime.MachineStatusController', Edge.INPUT_WEAK, 'runtime', 'TimeStatuses.v1alpha1.talos.dev'],
  ['runtime.MachineStatusController', Edge.INPUT_WEAK, 'network', 'NetworkStatuses.net.talos.dev'],
  ['runtime.MachineStatusController', Edge.INPUT_WEAK, 'k8s', 'StaticPodStatuses.kubernetes.talos.dev'],
  ['runtime.SBOMItemController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'SBOMItems.talos.dev'],
  ['runtime.SecurityStateController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'SecurityStates.talos.dev'],
  ['runtime.VersionController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'Versions.runtime.talos.dev'],
  ['block.DisksController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'Disks.block.talos.dev'],
  ['block.DiscoveryController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'DiscoveredVolumes.block.talos.dev'],
  ['block.DiscoveryController', Edge.INPUT_WEAK, 'runtime', 'Disks.block.talos.dev'],
  ['block.VolumeManagerController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'VolumeStatuses.block.talos.dev'],
  ['block.VolumeManagerController', Edge.INPUT_WEAK, 'runtime', 'DiscoveredVolumes.block.talos.dev'],
  ['time.SyncController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'TimeStatuses.v1alpha1.talos.dev'],
  ['time.SyncController', Edge.INPUT_WEAK, 'network', 'TimeServerStatuses.net.talos.dev'],
  ['v1alpha1.ServiceController', Edge.OUTPUT_EXCLUSIVE, 'runtime', 'Services.v1alpha1.talos.dev'],
];

/** inspect.InspectService and the storage.StorageService Disks call (both R/O/A). */
export function addStorageAndInspect(server: grpc.Server, router: Router, hooks: ApidHooks): void {
  const inspect = serviceKit(InspectServiceService as unknown as Defs, router, hooks);
  server.addService(InspectServiceService, {
    controllerRuntimeDependencies: inspect.unary('ControllerRuntimeDependencies', () => ({
      messages: [
        {
          metadata: undefined,
          edges: GRAPH.map(([controllerName, edgeType, resourceNamespace, resourceType]) => ({
            controllerName,
            edgeType,
            resourceNamespace,
            resourceType,
            resourceId: '',
          })),
        },
      ],
    })),
  } satisfies Partial<InspectServiceServer> as grpc.UntypedServiceImplementation);
  const storage = serviceKit(StorageServiceService as unknown as Defs, router, hooks);
  server.addService(StorageServiceService, {
    disks: storage.unary('Disks', (node) => ({
      messages: [
        {
          metadata: undefined,
          disks: disksOf(node).map((d) => ({
            size: String(d.size),
            model: d.model,
            deviceName: `/dev/${d.name}`,
            name: d.model,
            serial: d.serial,
            modalias: d.cdrom ? 'scsi:t-0x05' : 'virtio:d00000002v00001AF4',
            uuid: '',
            wwid: '',
            type: d.cdrom ? DiskType.CD : d.rotational ? DiskType.HDD : DiskType.SSD,
            busPath: d.busPath,
            systemDisk: d.system,
            subsystem: '/sys/class/block',
            readonly: d.readonly,
          })),
        },
      ],
    })),
  } satisfies Partial<StorageServiceServer> as grpc.UntypedServiceImplementation);
}
