import type { Disk, DiscoveredVolume } from '../../../shared/domain/storage';
import type { ResourceItem, TalosClient } from '../client';
import { asSpec, bool, num, str } from './spec';

/** Block resources are snake_case on the wire (`dev_path`, `pretty_size`), unlike most Talos resources. */
export function toDisk(item: ResourceItem): Disk {
  const s = asSpec(item.spec);
  return {
    id: item.id,
    devPath: str(s.dev_path),
    sizeBytes: num(s.size),
    prettySize: str(s.pretty_size),
    model: str(s.model),
    serial: str(s.serial),
    wwid: str(s.wwid),
    transport: str(s.transport),
    rotational: bool(s.rotational),
    readonly: bool(s.readonly),
    cdrom: bool(s.cdrom),
    busPath: str(s.bus_path),
  };
}

export function toDiscoveredVolume(item: ResourceItem): DiscoveredVolume {
  const s = asSpec(item.spec);
  return {
    id: item.id,
    devPath: str(s.dev_path),
    type: str(s.type),
    parent: str(s.parent) || null,
    sizeBytes: num(s.size),
    prettySize: str(s.pretty_size),
    filesystem: str(s.name),
    label: str(s.label),
    partitionLabel: str(s.partition_label),
    partitionIndex: s.partition_index === undefined ? null : num(s.partition_index),
  };
}

/** `talosctl get disks` and `talosctl get discoveredvolumes` (VolumeStatuses: client.evidence). */
export class StorageCalls {
  constructor(private readonly client: TalosClient) {}

  async disks(node: string): Promise<Disk[]> {
    return (await this.client.listResources(node, 'runtime', 'Disks.block.talos.dev')).map(toDisk);
  }

  async discoveredVolumes(node: string): Promise<DiscoveredVolume[]> {
    return (await this.client.listResources(node, 'runtime', 'DiscoveredVolumes.block.talos.dev')).map(toDiscoveredVolume);
  }
}
