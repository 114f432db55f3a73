import { MachineServiceService as M } from '../../../proto/gen/machine/machine';
import { AppError } from '../../../shared/errors';
import type { Extension, KernelParam, SbomItem, SecurityState } from '../../../shared/domain/compliance';
import type { ResourceItem, TalosClient } from '../client';
import { asSpec, bool, optStr, str, strs } from './spec';

const NS = 'runtime';

/** `enabled, permissive` → permissive; absent → disabled (Talos omits disabled states). */
function selinuxMode(text: string): SecurityState['selinux'] {
  if (!text) return 'disabled';
  if (/enforcing/.test(text)) return 'enforcing';
  if (/permissive/.test(text)) return 'permissive';
  return /disabled/.test(text) ? 'disabled' : 'unknown';
}

function fipsMode(text: string): SecurityState['fips'] {
  if (!text || /disabled/.test(text)) return 'disabled';
  if (/strict/.test(text)) return 'strict';
  return /enabled/.test(text) ? 'enabled' : 'unknown';
}

export function toSecurityState(item: ResourceItem): SecurityState {
  const s = asSpec(item.spec);
  const selinuxState = str(s.selinuxState);
  const fipsState = str(s.fipsState);
  return {
    secureBoot: bool(s.secureBoot),
    bootedWithUKI: bool(s.bootedWithUKI),
    pcrSigningKeyFingerprint: optStr(s.pcrSigningKeyFingerprint),
    ukiSigningKeyFingerprint: optStr(s.ukiSigningKeyFingerprint),
    selinux: selinuxMode(selinuxState),
    selinuxState: selinuxState || 'disabled',
    fips: fipsMode(fipsState),
    fipsState: fipsState || 'disabled',
    moduleSignatureEnforced: bool(s.moduleSignatureEnforced),
  };
}

export function toExtension(item: ResourceItem): Extension {
  const s = asSpec(item.spec);
  const m = asSpec(s.metadata);
  const name = str(m.name);
  return {
    id: item.id,
    image: str(s.image),
    name,
    version: str(m.version),
    author: str(m.author),
    description: str(m.description),
    talosCompatibility: str(asSpec(asSpec(m.compatibility).talos).version),
    isSchematic: name === 'schematic',
  };
}

export function toKernelParam(item: ResourceItem): KernelParam {
  const s = asSpec(item.spec);
  const sysfs = item.id.startsWith('sys.');
  return {
    id: item.id,
    kind: sysfs ? 'sysfs' : 'sysctl',
    key: item.id.replace(/^proc\.sys\./, '').replace(/^sys\./, ''),
    current: str(s.current),
    default: str(s.default),
    unsupported: bool(s.unsupported),
  };
}

export function toSbomItem(item: ResourceItem): SbomItem {
  const s = asSpec(item.spec);
  return {
    name: str(s.name) || item.id,
    version: str(s.version),
    license: optStr(s.license),
    cpes: strs(s.cpes),
    purls: strs(s.purls),
    extension: bool(s.extension),
  };
}

/** Reads of the resources compliance evidence is built from (all readable by os:reader). */
export class ComplianceCalls {
  constructor(private readonly client: TalosClient) {}

  private async list(node: string, type: string, since: string): Promise<ResourceItem[]> {
    try {
      return await this.client.listResources(node, NS, type);
    } catch (error) {
      throw unsupported(error, node, type, since);
    }
  }

  /** `talosctl get securitystate`; null when the node has none (it is computed once at boot). */
  async securityState(node: string): Promise<SecurityState | null> {
    const items = await this.list(node, 'SecurityStates.talos.dev', '');
    return items[0] ? toSecurityState(items[0]) : null;
  }

  /** `talosctl get extensions`, the `schematic` marker included (flagged). */
  async extensions(node: string): Promise<Extension[]> {
    return (await this.list(node, 'ExtensionStatuses.runtime.talos.dev', '')).map(toExtension);
  }

  /** `talosctl get kernelparamstatus`: what Talos wrote (current) and found (default). */
  async kernelParams(node: string): Promise<KernelParam[]> {
    return (await this.list(node, 'KernelParamStatuses.runtime.talos.dev', '')).map(toKernelParam);
  }

  /** `talosctl get cmdline`: the kernel command line the node booted with, or null. */
  async kernelCmdline(node: string): Promise<string | null> {
    const items = await this.list(node, 'KernelCmdlines.runtime.talos.dev', '');
    return items[0] ? str(asSpec(items[0].spec).cmdline) : null;
  }

  /** `talosctl get sbom`: the node's software bill of materials. */
  async sbom(node: string): Promise<SbomItem[]> {
    return (await this.list(node, 'SBOMItems.talos.dev', 'v1.11')).map(toSbomItem);
  }

  /** Whether the node enforces API RBAC: `Version.features.rbac` (true once a config with RBAC is loaded); null if not reported. */
  async rbacEnabled(node: string): Promise<boolean | null> {
    const response = await this.client.connection.unary(M.version, {}, node);
    const features = response.messages[0]?.features;
    return features ? features.rbac : null;
  }

  /** `talosctl get version`: the installed Talos tag from the Versions resource (v1.10+), or null. */
  async installedVersion(node: string): Promise<string | null> {
    const items = await this.list(node, 'Versions.runtime.talos.dev', 'v1.10');
    return items[0] ? optStr(asSpec(items[0].spec).version) : null;
  }
}

/** Talos answers an unknown resource type with PermissionDenied; say instead that the node is too old. */
export function unsupported(error: unknown, node: string, type: string, since: string): unknown {
  if (error instanceof AppError && /resource type .* is not supported/.test(error.message))
    return new AppError(
      'UNIMPLEMENTED',
      `${node} does not report ${type}${since ? ` (Talos ${since} and later do)` : '; a newer Talos release does'}.`,
    );
  return error;
}
