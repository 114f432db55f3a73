import { createHash } from 'node:crypto';
import { Rng } from '../rng';
import type { LabNode } from './node';

/** A system extension as its manifest describes it (ExtensionStatus `metadata`). */
export interface ExtensionManifest {
  name: string;
  version: string;
  author: string;
  description: string;
  /** The packages its SPDX documents list (SBOMItems with `extension: true`). */
  packages: { name: string; version: string; license: string; purl?: string; cpe?: string }[];
}

/**
 * The per-node facts behind the compliance resources: how the machine booted and what image it runs.
 * A real cluster is mostly uniform; the seed picks the cluster's baseline and, usually, one node that
 * drifts from it, so evidence and comparisons have something to find. Tests may change a profile and call
 * `refreshCompliance(node)`.
 */
export interface NodeProfile {
  secureBoot: boolean;
  bootedWithUKI: boolean;
  /** SHA-256 of the PCR signing key, `AB:CD:…` (only with UKI). */
  pcrSigningKeyFingerprint: string;
  selinux: 'disabled' | 'permissive' | 'enforcing';
  fips: 'disabled' | 'enabled' | 'strict';
  moduleSignatureEnforced: boolean;
  extensions: ExtensionManifest[];
  /** The Image Factory schematic ID (an extension named `schematic` carries it). */
  schematicId: string;
}

export const KNOWN_EXTENSIONS: Record<string, ExtensionManifest> = {
  'iscsi-tools': {
    name: 'iscsi-tools',
    version: 'v0.2.0',
    author: 'Sidero Labs',
    description: "This system extension provides iscsi-tools using containerd's runtime support.",
    packages: [
      { name: 'open-iscsi', version: '2.1.11', license: 'GPL-2.0-or-later', purl: 'pkg:generic/open-iscsi@2.1.11' },
      { name: 'open-isns', version: '0.103', license: 'LGPL-2.1-or-later', purl: 'pkg:generic/open-isns@0.103' },
    ],
  },
  'util-linux-tools': {
    name: 'util-linux-tools',
    version: '2.41.2',
    author: 'Sidero Labs',
    description: 'This system extension provides util-linux tools (fstrim, lsblk...).',
    packages: [
      {
        name: 'util-linux',
        version: '2.41.2',
        license: 'GPL-2.0-or-later',
        purl: 'pkg:generic/util-linux@2.41.2',
        cpe: 'cpe:2.3:a:kernel:util-linux:2.41.2:*:*:*:*:*:*:*',
      },
    ],
  },
  'qemu-guest-agent': {
    name: 'qemu-guest-agent',
    version: '10.1.2',
    author: 'Markus Reiter',
    description: 'This system extension provides the QEMU Guest Agent service.',
    packages: [
      {
        name: 'qemu',
        version: '10.1.2',
        license: 'GPL-2.0-only',
        purl: 'pkg:generic/qemu@10.1.2',
        cpe: 'cpe:2.3:a:qemu:qemu:10.1.2:*:*:*:*:*:*:*',
      },
    ],
  },
};

const profiles = new WeakMap<LabNode, NodeProfile>();

function fingerprint(rng: Rng): string {
  return rng.hex(64).toUpperCase().match(/../g)!.join(':');
}

/** The Image Factory derives the schematic ID from the customization it was given: a SHA-256. */
export function schematicIdFor(extensions: string[]): string {
  const body = extensions.length
    ? `customization:\n    systemExtensions:\n        officialExtensions:\n${[...extensions]
        .sort()
        .map((e) => `            - siderolabs/${e}\n`)
        .join('')}`
    : '';
  return createHash('sha256').update(body).digest('hex');
}

function baseline(rng: Rng, extensions: string[]): NodeProfile {
  const secureBoot = rng.next() < 0.5;
  const selinux = rng.pick(['permissive', 'permissive', 'enforcing'] as const);
  return {
    secureBoot,
    bootedWithUKI: secureBoot,
    pcrSigningKeyFingerprint: secureBoot ? fingerprint(rng) : '',
    selinux,
    fips: rng.next() < 0.2 ? 'enabled' : 'disabled',
    moduleSignatureEnforced: secureBoot,
    extensions: extensions.map((e) => KNOWN_EXTENSIONS[e]!),
    schematicId: schematicIdFor(extensions),
  };
}

/**
 * Gives every node its profile: one baseline for the cluster from the seed and, for most seeds, one node
 * (never the first control plane) that drifts: SELinux relaxed, an extra extension, or Secure Boot off.
 */
export function assignProfiles(nodes: LabNode[], seed: number): void {
  const rng = new Rng(seed * 31 + 17);
  const base = baseline(rng, ['iscsi-tools', 'util-linux-tools']);
  const deviant = nodes.length > 1 && rng.next() < 0.8 ? rng.int(1, nodes.length - 1) : -1;
  const drift = rng.pick(['selinux', 'extension', 'secureboot'] as const);
  nodes.forEach((node, index) => {
    const profile: NodeProfile = { ...base, extensions: [...base.extensions] };
    if (index === deviant) {
      if (drift === 'selinux') profile.selinux = profile.selinux === 'enforcing' ? 'permissive' : 'disabled';
      if (drift === 'extension') {
        profile.extensions.push(KNOWN_EXTENSIONS['qemu-guest-agent']!);
        profile.schematicId = schematicIdFor(profile.extensions.map((e) => e.name));
      }
      if (drift === 'secureboot') {
        Object.assign(profile, { secureBoot: false, bootedWithUKI: false, pcrSigningKeyFingerprint: '', moduleSignatureEnforced: false });
      }
    }
    profiles.set(node, profile);
  });
}

/** The node's profile; a node outside a lab (unit tests) gets a baseline from its machine ID. */
export function profileOf(node: LabNode): NodeProfile {
  let profile = profiles.get(node);
  if (!profile) {
    profile = baseline(new Rng(parseInt(node.machineId.slice(0, 8), 16)), ['iscsi-tools', 'util-linux-tools']);
    profiles.set(node, profile);
  }
  return profile;
}
