/**
 * The Kernel Self Protection Project settings Talos enforces (talos-api-wave2.md §1). Talos writes these
 * sysctls at boot, waits for them, then refuses to boot without the kernel arguments below. Reports compare
 * a node's `KernelParamStatuses` (id `proc.sys.<key>`) and `KernelCmdlines` against them.
 */
export const KSPP_SYSCTLS: Readonly<Record<string, string>> = {
  'dev.tty.ldisc_autoload': '0',
  'dev.tty.legacy_tiocsti': '0',
  'fs.protected_symlinks': '1',
  'fs.protected_hardlinks': '1',
  'fs.protected_fifos': '2',
  'fs.protected_regular': '2',
  'fs.suid_dumpable': '0',
  'kernel.kptr_restrict': '2',
  'kernel.dmesg_restrict': '1',
  'kernel.perf_event_paranoid': '3',
  'kernel.randomize_va_space': '2',
  // 2, not 3: pods with user namespaces need ptrace within them.
  'kernel.yama.ptrace_scope': '2',
  'user.max_user_namespaces': '0',
  'kernel.unprivileged_bpf_disabled': '1',
  'net.core.bpf_jit_harden': '2',
  'vm.unprivileged_userfaultfd': '0',
};

/** Kernel arguments the KSPP boot task requires (`init_on_alloc`/`init_on_free` are not enforced). */
export const KSPP_CMDLINE: readonly string[] = ['slab_nomerge', 'pti=on'];

/** The KernelParamStatus resource ID of a sysctl key. */
export const sysctlParamId = (key: string) => `proc.sys.${key}`;
