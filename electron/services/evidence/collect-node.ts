import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { AppError } from '../../../shared/errors';
import type { Listener, NodeEvidence, Unavailable } from '../../../shared/domain/evidence';
import type { SbomItem, CriImage } from '../../../shared/domain/compliance';
import { KSPP_CMDLINE, KSPP_SYSCTLS } from '../../../shared/talos-kspp';
import { machineConfigBody, type TalosClient } from '../../talos/client';
import { redactConfig } from '../config/redact';

/** Ports and programs that would mean a shell is reachable on the node (none should exist on Talos). */
const SHELL_PORTS: Record<number, string> = { 22: 'ssh', 23: 'telnet', 512: 'rexec', 513: 'rlogin', 514: 'rsh', 2222: 'ssh' };
const SHELL_PROGRAMS = /^(sshd|dropbear|telnetd|in\.telnetd|bash|sh|ash|zsh|busybox|socat|nc|ncat)$/;

export function isShellListener(l: Listener): boolean {
  return (l.proto.startsWith('tcp') && SHELL_PORTS[l.port] !== undefined) || (l.process !== null && SHELL_PROGRAMS.test(l.process));
}

/** JSON with object keys sorted, so the same content always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The canonical redacted form of a machine config: redacted by the Config screen's redactor, each YAML
 * document as canonical JSON, one per line. Its SHA-256 is stable across YAML formatting and key order, so
 * equal digests mean equal configs (secrets aside).
 */
export function canonicalRedactedConfig(body: string): { yaml: string; canonical: string; sha256: string; redactedFields: number } {
  const redaction = redactConfig(body);
  const canonical = parseAllDocuments(redaction.yaml)
    .map((d) => canonicalJson(d.toJS()))
    .join('\n');
  return {
    yaml: redaction.yaml,
    canonical,
    sha256: createHash('sha256').update(canonical).digest('hex'),
    redactedFields: redaction.redactedPaths.length,
  };
}

export interface CollectedNode {
  evidence: NodeEvidence;
  /** Files for the pack, named relative to the node's folder. */
  configYaml: string | null;
  sbomItems: SbomItem[] | null;
  images: CriImage[] | null;
  unavailable: Unavailable[];
}

const reason = (error: unknown) =>
  error instanceof AppError ? `${error.code}: ${error.message}` : String((error as Error)?.message ?? error);

/** Collects one node's evidence; each read that fails is listed with its reason and the rest still collected. */
export async function collectNode(client: TalosClient, node: string, isAdmin: boolean): Promise<CollectedNode> {
  const unavailable: Unavailable[] = [];
  let answered = 0;
  const read = async <T>(item: string, call: () => Promise<T>): Promise<T | null> => {
    try {
      const value = await call();
      answered += 1;
      return value;
    } catch (error) {
      unavailable.push({ node, item, reason: reason(error) });
      return null;
    }
  };

  const version = await read('Talos version', () => client.version(node));
  const [installed, hostname, machineType, security, extensions, params, cmdline, sockets, services, time, sbomItems, images] =
    await Promise.all([
      read('installed version (Versions)', () => client.compliance.installedVersion(node)),
      read('hostname', () => client.hostname(node)),
      read('machine type', async () => {
        const [item] = await client.listResources(node, 'config', 'MachineTypes.config.talos.dev');
        return item ? String(item.spec) : null;
      }),
      read('security state', () => client.compliance.securityState(node)),
      read('extensions', () => client.compliance.extensions(node)),
      read('kernel parameters', () => client.compliance.kernelParams(node)),
      read('kernel command line', () => client.compliance.kernelCmdline(node)),
      read('listening sockets (Netstat)', () => client.network.netstat(node, { filter: 'listening' })),
      read('services', () => client.services(node)),
      read('time sync', () => client.evidence.timeStatus(node)),
      read('SBOM items', () => client.compliance.sbom(node)),
      read('container images (CRI)', () => client.images.list(node, 'cri')),
    ]);

  let config: ReturnType<typeof canonicalRedactedConfig> | null = null;
  let installImage: string | null = null;
  if (!isAdmin) {
    unavailable.push({
      node,
      item: 'machine config',
      reason: 'Machine configs are a sensitive resource: reading them needs os:admin, and this identity does not have it.',
    });
  } else {
    const item = await read('machine config', () => client.getResource(node, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1'));
    if (item) {
      try {
        config = canonicalRedactedConfig(machineConfigBody(item));
        const v1 = parseAllDocuments(config.yaml)[0]?.toJS() as { machine?: { install?: { image?: string } } } | undefined;
        installImage = v1?.machine?.install?.image ?? null;
      } catch (error) {
        unavailable.push({ node, item: 'machine config', reason: reason(error) });
      }
    }
  }

  const listeners: Listener[] | null = sockets
    ? sockets
        .filter((s) => s.listening && s.netns === '')
        .map((s) => ({ proto: s.proto, address: s.localIp, port: s.localPort, process: s.process, netns: s.netns }))
        .sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto) || a.address.localeCompare(b.address))
    : null;
  const reported = new Map((params ?? []).filter((p) => p.kind === 'sysctl').map((p) => [p.key, p]));
  const cmdArgs = cmdline?.split(/\s+/) ?? [];

  const evidence: NodeEvidence = {
    node,
    hostname,
    machineType: machineType?.trim() ?? null,
    reachable: answered > 0,
    talos: version ? { tag: version.tag, installed, platform: version.platform, arch: version.arch, installImage } : null,
    security,
    extensions,
    kspp: params
      ? {
          sysctls: Object.entries(KSPP_SYSCTLS).map(([key, expected]) => {
            const actual = reported.get(key)?.current ?? null;
            return { sysctl: key, expected, actual, ok: actual === expected };
          }),
          cmdline,
          cmdlineMissing: cmdline === null ? [] : KSPP_CMDLINE.filter((arg) => !cmdArgs.includes(arg)),
        }
      : null,
    listening: listeners ? { sockets: listeners, shellListeners: listeners.filter(isShellListener) } : null,
    services: services?.map((s) => ({ id: s.id, state: s.state, health: s.health })) ?? null,
    time,
    config: config
      ? { file: `nodes/${node}/machine-config.redacted.yaml`, sha256: config.sha256, redactedFields: config.redactedFields }
      : null,
    images: images?.map((i) => ({ name: i.name, digest: i.digest })) ?? null,
    sbom: null,
  };
  return { evidence, configYaml: config?.yaml ?? null, sbomItems, images, unavailable };
}
