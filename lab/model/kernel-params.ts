import { parseAllDocuments } from 'yaml';
import { KSPP_SYSCTLS, sysctlParamId } from '../../shared/talos-kspp';

/** One `KernelParamStatuses.runtime.talos.dev` spec: the value Talos wrote and the value it found. */
export interface KernelParamStatus {
  current: string;
  default: string;
  unsupported: boolean;
}

/** The kernel's own value of each KSPP sysctl, before Talos writes the expected one. */
const KSPP_KERNEL_DEFAULTS: Record<string, string> = {
  'dev.tty.ldisc_autoload': '1',
  'fs.protected_symlinks': '0',
  'fs.protected_hardlinks': '0',
  'fs.protected_fifos': '0',
  'fs.protected_regular': '0',
  'kernel.kptr_restrict': '1',
  'kernel.perf_event_paranoid': '2',
  'kernel.yama.ptrace_scope': '1',
  'user.max_user_namespaces': '15421',
  'kernel.unprivileged_bpf_disabled': '2',
};

/** Other defaults Talos writes on every machine (KernelParamDefaultSpecs). */
export const TALOS_DEFAULT_SYSCTLS: Record<string, { value: string; kernelDefault: string }> = {
  'net.ipv4.ip_forward': { value: '1', kernelDefault: '0' },
  'net.ipv4.conf.all.send_redirects': { value: '0', kernelDefault: '1' },
  'net.ipv4.conf.default.send_redirects': { value: '0', kernelDefault: '1' },
  'net.ipv4.ip_local_reserved_ports': { value: '50000,50001', kernelDefault: '' },
  'net.ipv6.conf.all.forwarding': { value: '1', kernelDefault: '0' },
  'net.ipv6.conf.default.forwarding': { value: '1', kernelDefault: '0' },
  'net.ipv6.conf.all.accept_ra': { value: '2', kernelDefault: '1' },
  'net.ipv6.conf.default.accept_ra': { value: '2', kernelDefault: '1' },
  'net.bridge.bridge-nf-call-iptables': { value: '1', kernelDefault: '1' },
  'net.bridge.bridge-nf-call-ip6tables': { value: '1', kernelDefault: '1' },
  'kernel.panic': { value: '10', kernelDefault: '1' },
  'kernel.pid_max': { value: '262144', kernelDefault: '32768' },
  'vm.overcommit_memory': { value: '1', kernelDefault: '0' },
  'fs.inotify.max_user_instances': { value: '8192', kernelDefault: '128' },
};

/** `machine.sysctls` and `machine.sysfs` from a (multi-document) machine config; unreadable configs give none. */
export function configKernelParams(config: string): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (const doc of parseAllDocuments(config)) {
      const machine = (doc.toJS() as { machine?: { sysctls?: Record<string, unknown>; sysfs?: Record<string, unknown> } } | null)?.machine;
      for (const [key, value] of Object.entries(machine?.sysctls ?? {})) out[`proc.sys.${key}`] = String(value);
      for (const [key, value] of Object.entries(machine?.sysfs ?? {})) out[`sys.${key}`] = String(value);
    }
  } catch {
    return out;
  }
  return out;
}

/**
 * The statuses a node reports: KSPP keys, Talos defaults, then the config's own keys, which win
 * (overriding a KSPP key is allowed and only logged).
 */
export function kernelParamStatuses(config: string): Map<string, KernelParamStatus> {
  const out = new Map<string, KernelParamStatus>();
  for (const [key, expected] of Object.entries(KSPP_SYSCTLS))
    out.set(sysctlParamId(key), { current: expected, default: KSPP_KERNEL_DEFAULTS[key] ?? expected, unsupported: false });
  for (const [key, { value, kernelDefault }] of Object.entries(TALOS_DEFAULT_SYSCTLS))
    out.set(`proc.sys.${key}`, { current: value, default: kernelDefault, unsupported: false });
  for (const [id, value] of Object.entries(configKernelParams(config))) {
    const before = out.get(id);
    out.set(id, { current: value, default: before?.default ?? value, unsupported: false });
  }
  return out;
}
