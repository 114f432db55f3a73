import type { Def } from './resource-definitions';

/** Definitions for the compliance, storage and network resources served for evidence and day-two screens. */
export const DAY_TWO_DEFS: Def[] = [
  {
    type: 'SBOMItems.talos.dev',
    ns: 'runtime',
    extraAliases: ['sbom', 'sboms'],
    columns: [
      ['Version', '{.version}'],
      ['License', '{.license}'],
      ['Extension', '{.extension}'],
    ],
  },
  {
    type: 'ExtensionStatuses.runtime.talos.dev',
    ns: 'runtime',
    extraAliases: ['extensions'],
    columns: [
      ['Name', '{.metadata.name}'],
      ['Version', '{.metadata.version}'],
    ],
  },
  {
    type: 'KernelParamStatuses.runtime.talos.dev',
    ns: 'runtime',
    extraAliases: ['sysctls', 'kernelparams', 'kernelparameters'],
    columns: [
      ['Current', '{.current}'],
      ['Default', '{.default}'],
      ['Unsupported', '{.unsupported}'],
    ],
  },
  { type: 'KernelCmdlines.runtime.talos.dev', ns: 'runtime', extraAliases: ['cmdline'], columns: [['Cmdline', '{.cmdline}']] },
  {
    type: 'Disks.block.talos.dev',
    ns: 'runtime',
    columns: [
      ['Size', '{.pretty_size}'],
      ['Read Only', '{.readonly}'],
      ['Transport', '{.transport}'],
      ['Rotational', '{.rotational}'],
      ['WWID', '{.wwid}'],
      ['Model', '{.model}'],
      ['Serial', '{.serial}'],
    ],
  },
  {
    type: 'DiscoveredVolumes.block.talos.dev',
    ns: 'runtime',
    columns: [
      ['Type', '{.type}'],
      ['Size', '{.pretty_size}'],
      ['Discovered', '{.name}'],
      ['Label', '{.label}'],
      ['PartitionLabel', '{.partition_label}'],
    ],
  },
];
