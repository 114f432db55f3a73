import type { NodeProfile } from './node-profile';

/** One `SBOMItems.talos.dev` spec: what Talos reads from the SPDX documents shipped in the image. */
export interface SbomItem {
  name: string;
  version: string;
  license?: string;
  cpes?: string[];
  purls?: string[];
  extension?: boolean;
}

/** Kernel per Talos release (talos-testdata.md: v1.13.9 ships 6.18.44; newer builds 6.18.45). */
export function kernelVersionFor(talosTag: string): string {
  return talosTag === 'v1.13.9' || /^v1\.(1[0-2]|[0-9])\./.test(talosTag) ? '6.18.44' : '6.18.45';
}

const golang = (path: string, version: string, license: string): SbomItem => ({
  name: path,
  version,
  license,
  purls: [`pkg:golang/${path}@${version}`],
});

const cpe = (vendor: string, product: string, version: string, part: 'a' | 'o' = 'a') =>
  `cpe:2.3:${part}:${vendor}:${product}:${version}:*:*:*:*:*:*:*`;

/** The Talos image's own components (the rootfs SPDX documents). */
function talosComponents(talosTag: string): SbomItem[] {
  const version = talosTag.replace(/^v/, '');
  const kernel = kernelVersionFor(talosTag);
  return [
    {
      name: 'Talos',
      version: talosTag,
      license: 'MPL-2.0',
      cpes: [cpe('siderolabs', 'talos', version, 'o')],
      purls: [`pkg:github/siderolabs/talos@${talosTag}`],
    },
    { name: 'linux', version: kernel, license: 'GPL-2.0-only', cpes: [cpe('linux', 'linux_kernel', kernel, 'o')] },
    {
      name: 'containerd',
      version: 'v2.2.7',
      license: 'Apache-2.0',
      cpes: [cpe('linuxfoundation', 'containerd', '2.2.7')],
      purls: ['pkg:golang/github.com/containerd/containerd/v2@v2.2.7'],
    },
    {
      name: 'runc',
      version: 'v1.3.3',
      license: 'Apache-2.0',
      cpes: [cpe('linuxfoundation', 'runc', '1.3.3')],
      purls: ['pkg:golang/github.com/opencontainers/runc@v1.3.3'],
    },
    { name: 'musl', version: '1.2.5', license: 'MIT', cpes: [cpe('musl-libc', 'musl', '1.2.5')], purls: ['pkg:generic/musl@1.2.5'] },
    {
      name: 'openssl',
      version: '3.5.4',
      license: 'Apache-2.0',
      cpes: [cpe('openssl', 'openssl', '3.5.4')],
      purls: ['pkg:generic/openssl@3.5.4'],
    },
    {
      name: 'cryptsetup',
      version: '2.8.1',
      license: 'GPL-2.0-or-later',
      cpes: [cpe('cryptsetup_project', 'cryptsetup', '2.8.1')],
      purls: ['pkg:generic/cryptsetup@2.8.1'],
    },
    { name: 'iptables', version: '1.8.11', license: 'GPL-2.0-only', cpes: [cpe('netfilter', 'iptables', '1.8.11')] },
    { name: 'nftables', version: '1.1.5', license: 'GPL-2.0-only', cpes: [cpe('netfilter', 'nftables', '1.1.5')] },
    { name: 'lvm2', version: '2.03.35', license: 'GPL-2.0-only', purls: ['pkg:generic/lvm2@2.03.35'] },
    { name: 'xfsprogs', version: '6.16.0', license: 'GPL-2.0-only', purls: ['pkg:generic/xfsprogs@6.16.0'] },
    { name: 'e2fsprogs', version: '1.47.3', license: 'GPL-2.0-only', cpes: [cpe('e2fsprogs_project', 'e2fsprogs', '1.47.3')] },
    { name: 'kmod', version: '34.2', license: 'LGPL-2.1-or-later', purls: ['pkg:generic/kmod@34.2'] },
    { name: 'zlib', version: '1.3.1', license: 'Zlib', cpes: [cpe('zlib', 'zlib', '1.3.1')], purls: ['pkg:generic/zlib@1.3.1'] },
    { name: 'ca-certificates', version: '20250911', license: 'MPL-2.0' },
    { name: 'eudev', version: '3.2.14', license: 'GPL-2.0-or-later', purls: ['pkg:generic/eudev@3.2.14'] },
    {
      name: 'stdlib',
      version: 'go1.26.6',
      license: 'BSD-3-Clause',
      purls: ['pkg:golang/stdlib@1.26.6'],
      cpes: [cpe('golang', 'go', '1.26.6')],
    },
    golang('cel.dev/expr', 'v0.24.0', 'Apache-2.0'),
    golang('github.com/cosi-project/runtime', 'v1.16.2', 'MPL-2.0'),
    golang('github.com/siderolabs/crypto', 'v0.6.5', 'MPL-2.0'),
    golang('github.com/siderolabs/go-blockdevice/v2', 'v2.0.21', 'MPL-2.0'),
    golang('github.com/siderolabs/grpc-proxy', 'v0.5.1', 'Apache-2.0'),
    golang('go.etcd.io/etcd/client/v3', 'v3.6.12', 'Apache-2.0'),
    golang('golang.org/x/net', 'v0.47.0', 'BSD-3-Clause'),
    golang('golang.org/x/sys', 'v0.38.0', 'BSD-3-Clause'),
    golang('google.golang.org/grpc', 'v1.77.0', 'Apache-2.0'),
    golang('google.golang.org/protobuf', 'v1.36.10', 'BSD-3-Clause'),
    golang('k8s.io/client-go', 'v0.36.3', 'Apache-2.0'),
    // A package whose SPDX document declares no license: Talos leaves `license` out then.
    { name: 'github.com/siderolabs/gen', version: 'v0.8.5', purls: ['pkg:golang/github.com/siderolabs/gen@v0.8.5'] },
  ];
}

/** Every SBOM item a node reports: the Talos image's components, then each extension's packages. */
export function sbomItems(talosTag: string, profile: NodeProfile): SbomItem[] {
  const items = talosComponents(talosTag);
  for (const ext of profile.extensions) {
    for (const p of ext.packages) {
      items.push({
        name: p.name,
        version: p.version,
        license: p.license,
        ...(p.cpe ? { cpes: [p.cpe] } : {}),
        ...(p.purl ? { purls: [p.purl] } : {}),
        extension: true,
      });
    }
  }
  return items;
}
