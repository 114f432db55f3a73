import { KSPP_CMDLINE } from '../../shared/talos-kspp';
import { kernelParamStatuses } from './kernel-params';
import type { LabNode } from './node';
import { profileOf, type NodeProfile } from './node-profile';
import { sbomItems } from './sbom';

export const COMPLIANCE_TYPES = {
  security: 'SecurityStates.talos.dev',
  extension: 'ExtensionStatuses.runtime.talos.dev',
  kernelParam: 'KernelParamStatuses.runtime.talos.dev',
  cmdline: 'KernelCmdlines.runtime.talos.dev',
  sbom: 'SBOMItems.talos.dev',
} as const;

const T = COMPLIANCE_TYPES;

/** The SecurityState spec as Talos marshals it: disabled SELinux/FIPS and unset fingerprints are omitted. */
function securitySpec(p: NodeProfile): Record<string, unknown> {
  return {
    secureBoot: p.secureBoot,
    ...(p.pcrSigningKeyFingerprint ? { pcrSigningKeyFingerprint: p.pcrSigningKeyFingerprint } : {}),
    ...(p.selinux !== 'disabled' ? { selinuxState: `enabled, ${p.selinux}` } : {}),
    ...(p.bootedWithUKI ? { bootedWithUKI: true } : {}),
    ...(p.fips !== 'disabled' ? { fipsState: p.fips === 'strict' ? 'enabled, strict' : 'enabled' } : {}),
    ...(p.moduleSignatureEnforced ? { moduleSignatureEnforced: true } : {}),
  };
}

/** The kernel command line that goes with the profile (KSPP arguments always present, as Talos requires). */
export function kernelCmdline(p: NodeProfile): string {
  return [
    'talos.platform=metal',
    'console=ttyS0',
    'console=tty0',
    'init_on_alloc=1',
    ...KSPP_CMDLINE,
    'consoleblank=0',
    'nvme_core.io_timeout=4294967295',
    'printk.devkmsg=on',
    'ima_template=ima-ng',
    'ima_appraise=fix',
    'ima_hash=sha512',
    ...(p.selinux !== 'disabled' ? ['selinux=1'] : []),
    ...(p.selinux === 'enforcing' ? ['enforcing=1'] : []),
    ...(p.fips !== 'disabled' ? ['fips=1'] : []),
    ...(p.moduleSignatureEnforced ? ['module.sig_enforce=1'] : []),
    ...(p.bootedWithUKI ? ['lockdown=confidentiality'] : []),
  ].join(' ');
}

/** ExtensionStatus IDs are the image file names without `.sqsh`: `000.ghcr.io-…` in order, the schematic last. */
function extensionStatuses(p: NodeProfile): { id: string; spec: Record<string, unknown> }[] {
  const out = p.extensions.map((ext, i) => {
    const id = `${String(i).padStart(3, '0')}.ghcr.io-siderolabs-${ext.name}-${ext.version}`;
    return {
      id,
      spec: {
        image: `${id}.sqsh`,
        metadata: {
          name: ext.name,
          version: ext.version,
          author: ext.author,
          description: ext.description,
          compatibility: { talos: { version: '>= v1.13.0' } },
        },
      },
    };
  });
  const id = String(p.extensions.length);
  out.push({
    id,
    spec: {
      image: `${id}.sqsh`,
      metadata: { name: 'schematic', version: p.schematicId, author: '', description: '', compatibility: { talos: { version: '' } } },
    },
  });
  return out;
}

/** Puts `type` resources exactly as given, destroying ones that are no longer there (Talos tears them down). */
function replaceAll(node: LabNode, namespace: string, type: string, owner: string, specs: { id: string; spec: unknown }[]): void {
  const keep = new Set(specs.map((s) => s.id));
  for (const old of node.resources.list(namespace, type)) if (!keep.has(old.id)) node.resources.destroy(namespace, type, old.id);
  for (const { id, spec } of specs) node.resources.put(namespace, type, id, node.resourceYaml(spec), { owner });
}

/** Kernel parameters follow the active machine config: call after every config change. */
export function refreshKernelParams(node: LabNode): void {
  const statuses = [...kernelParamStatuses(node.config.active)].map(([id, spec]) => ({ id, spec }));
  replaceAll(node, 'runtime', T.kernelParam, 'runtime.KernelParamSpecController', statuses);
}

/** Everything an auditor reads about how a node booted and what it runs (SecurityState, extensions, SBOM…). */
export function refreshCompliance(node: LabNode): void {
  const p = profileOf(node);
  const r = node.resources;
  r.put('runtime', T.security, 'securitystate', node.resourceYaml(securitySpec(p)), { owner: 'runtime.SecurityStateController' });
  replaceAll(node, 'runtime', T.extension, 'runtime.ExtensionStatusController', extensionStatuses(p));
  refreshKernelParams(node);
  const cmdline = kernelCmdline(p);
  r.put('runtime', T.cmdline, 'cmdline', node.resourceYaml({ cmdline }), { owner: 'runtime.KernelCmdlineController' });
  node.files.file('/proc/cmdline', () => `${cmdline}\n`, 0o444, node.bootTime);
  replaceAll(
    node,
    'runtime',
    T.sbom,
    'runtime.SBOMItemController',
    sbomItems(node.talosVersion, p).map((item) => ({ id: item.name, spec: item })),
  );
}
