import type { LabNode } from './node';

/** A block device of a lab node: the virtio system disk, a user disk on workers, the cloud-init CD-ROM. */
export interface LabDisk {
  name: string;
  size: number;
  model: string;
  serial: string;
  transport: string;
  rotational: boolean;
  readonly: boolean;
  cdrom: boolean;
  busPath: string;
  system: boolean;
}

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** Partitions of the system disk, Talos' layout (IDs are what VolumeStatuses and reset labels name). */
export const SYSTEM_PARTITIONS = [
  { index: 1, label: 'EFI', size: 105 * MiB, fs: 'vfat' },
  { index: 2, label: 'BIOS', size: 1 * MiB, fs: '' },
  { index: 3, label: 'BOOT', size: 1000 * MiB, fs: 'xfs' },
  { index: 4, label: 'META', size: 1 * MiB, fs: 'talosmeta' },
  { index: 5, label: 'STATE', size: 100 * MiB, fs: 'xfs' },
  { index: 6, label: 'EPHEMERAL', size: 40 * GiB, fs: 'xfs' },
] as const;

export function disksOf(node: LabNode): LabDisk[] {
  const serial = (n: number) => `${node.machineId.slice(n * 4, n * 4 + 12)}`.toUpperCase();
  const disks: LabDisk[] = [
    {
      name: 'vda',
      size: 42 * GiB + 1207 * MiB,
      model: '',
      serial: serial(0),
      transport: 'virtio',
      rotational: true,
      readonly: false,
      cdrom: false,
      busPath: '/pci0000:00/0000:00:05.0/virtio2',
      system: true,
    },
    {
      name: 'sr0',
      size: 372 * 1024,
      model: 'QEMU DVD-ROM',
      serial: 'QM00003',
      transport: 'ata',
      rotational: true,
      readonly: true,
      cdrom: true,
      busPath: '/pci0000:00/0000:00:01.1/ata2/host1/target1:0:0/1:0:0:0',
      system: false,
    },
  ];
  if (node.id.type === 'worker')
    disks.push({
      name: 'vdb',
      size: 20 * GiB,
      model: '',
      serial: serial(1),
      transport: 'virtio',
      rotational: true,
      readonly: false,
      cdrom: false,
      busPath: '/pci0000:00/0000:00:06.0/virtio3',
      system: false,
    });
  return disks;
}

/** talosctl's pretty sizes are decimal (`43 GB`). */
export function prettySize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** `Disks.block.talos.dev` and `DiscoveredVolumes.block.talos.dev` (both snake_case, as Talos marshals them). */
export function putDiskResources(node: LabNode): void {
  const r = node.resources;
  const y = (spec: unknown) => node.resourceYaml(spec);
  for (const d of disksOf(node)) {
    r.put(
      'runtime',
      'Disks.block.talos.dev',
      d.name,
      y({
        dev_path: `/dev/${d.name}`,
        size: d.size,
        pretty_size: prettySize(d.size),
        io_size: 512,
        sector_size: 512,
        readonly: d.readonly,
        cdrom: d.cdrom,
        ...(d.model ? { model: d.model } : {}),
        ...(d.serial ? { serial: d.serial } : {}),
        transport: d.transport,
        rotational: d.rotational,
        bus_path: d.busPath,
        sub_system: '/sys/class/block',
        symlinks: [`/dev/disk/by-path/${d.cdrom ? 'pci-0000:00:01.1-ata-2' : `virtio-pci-${d.busPath.split('/')[2]}`}`],
      }),
      { owner: 'block.DisksController' },
    );
    const volume = (id: string, spec: Record<string, unknown>) =>
      r.put('runtime', 'DiscoveredVolumes.block.talos.dev', id, y({ dev_path: `/dev/${id}`, ...spec }), {
        owner: 'block.DiscoveryController',
      });
    if (d.system) {
      volume(d.name, { type: 'disk', size: d.size, pretty_size: prettySize(d.size), name: 'gpt', uuid: node.machineId.slice(0, 8) });
      for (const p of SYSTEM_PARTITIONS)
        volume(`${d.name}${p.index}`, {
          type: 'partition',
          parent: d.name,
          parent_dev_path: `/dev/${d.name}`,
          size: p.size,
          pretty_size: prettySize(p.size),
          ...(p.fs ? { name: p.fs } : {}),
          partition_index: p.index,
          partition_label: p.label,
          ...(p.fs === 'xfs' || p.fs === 'vfat' ? { label: p.label } : {}),
        });
    } else if (d.cdrom) {
      volume(d.name, { type: 'disk', size: d.size, pretty_size: prettySize(d.size), name: 'iso9660', label: 'cidata' });
    } else {
      volume(d.name, { type: 'disk', size: d.size, pretty_size: prettySize(d.size) });
    }
  }
}
