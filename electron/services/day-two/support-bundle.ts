import { strToU8, zipSync, type Zippable } from 'fflate';
import { stringify } from 'yaml';
import type { SupportManifest } from '../../../shared/contract-day-two';
import type { TalosClient } from '../../talos/client';
import { dependenciesDot } from '../../talos/calls/support';
import { findSecrets, scrubSecrets, type ScanHit } from './secret-scan';

export interface SupportProgress {
  node: string;
  files: number;
  current: string;
  done: boolean;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const REDACTED = '<REDACTED>';

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => String(c).padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

async function lines(run: (onLines: (l: string[]) => void) => Promise<void>): Promise<string> {
  const out: string[] = [];
  await run((l) => out.push(...l));
  return out.join('\n') + (out.length ? '\n' : '');
}

/**
 * `talosctl support` for each node (what go-talos-support collects: kernel log, every service's log and state,
 * kube-system container logs, mounts, I/O, processes, controller dependencies, PCI devices, versions and the COSI
 * resources of each type in its default namespace), with sensitive types as `spec: <REDACTED>` like talosctl. Every
 * file is scanned for secrets and scrubbed before it is added; the zip is scanned again before a byte leaves.
 */
export async function collectSupportBundle(
  client: TalosClient,
  nodes: string[],
  who: { context: string; roles: string[]; cluster: string | null },
  onChunk: (bytes: Uint8Array) => void,
  signal: AbortSignal,
  onProgress: (p: SupportProgress) => void,
): Promise<SupportManifest> {
  const files: Zippable = {};
  const manifest: SupportManifest = { nodes: [], files: 0, redactedTypes: [] };
  const scrubbed: { file: string; hits: ScanHit[] }[] = [];
  const redacted = new Set<string>();

  const add = (name: string, text: string) => {
    const clean = scrubSecrets(text);
    if (clean.hits.length) scrubbed.push({ file: name, hits: clean.hits });
    files[name] = strToU8(clean.text);
    manifest.files++;
  };

  for (const node of nodes) {
    if (signal.aborted) break;
    const errors: string[] = [];
    let count = 0;
    const step = async (file: string, make: () => Promise<string | null>) => {
      if (signal.aborted) return;
      onProgress({ node, files: count, current: file, done: false });
      try {
        const text = await make();
        if (text !== null) {
          add(`${node}/${file}`, text);
          count++;
        }
      } catch (error) {
        errors.push(`${file}: ${message(error)}`);
      }
    };
    await step('summary', async () => {
      const v = await client.version(node);
      return `Client:\n\tNodeglass (talosctl support equivalent)\nServer:\n\tNODE: ${node}\n\tTag: ${v.tag}\n\tSHA: ${v.sha}\n\tGo version: ${v.goVersion}\n\tOS/Arch: ${v.os}\n`;
    });
    await step('dmesg.log', () => lines((on) => client.dmesg(node, { follow: false, tail: false }, on, signal)));
    const services = await client.services(node).catch((error: unknown) => {
      errors.push(`services: ${message(error)}`);
      return [];
    });
    for (const s of services) {
      await step(`service-logs/${s.id}.log`, () =>
        lines((on) => client.logs(node, { namespace: 'system', id: s.id, follow: false, tailLines: -1 }, on, signal)),
      );
      await step(`service-logs/${s.id}.state`, async () => stringify(s));
    }
    const pods = await client.containers(node, 'k8s.io').catch(() => []);
    for (const c of pods.filter((p) => p.namespace === 'k8s.io' && p.podId.startsWith('kube-system/') && p.id !== p.podId)) {
      await step(`kubernetes-logs/kube-system/${c.name}${c.pid === 0 ? '-exited' : ''}.log`, () =>
        lines((on) => client.logs(node, { namespace: 'k8s.io', id: c.id, follow: false, tailLines: -1 }, on, signal)),
      );
    }
    await step('dependencies.dot', async () => dependenciesDot(await client.support.controllerDependencies(node)));
    await step('mounts', async () =>
      table([
        ['FILESYSTEM', 'SIZE(GB)', 'USED(GB)', 'AVAILABLE(GB)', 'MOUNTED ON'],
        ...(await client.mounts(node)).map((m) => [
          m.filesystem,
          (m.sizeBytes / 1e9).toFixed(2),
          ((m.sizeBytes - m.availableBytes) / 1e9).toFixed(2),
          (m.availableBytes / 1e9).toFixed(2),
          m.mountedOn,
        ]),
      ]),
    );
    await step('io', async () => {
      const io = await client.stats.diskStats(node);
      return table([
        ['NAME', 'READ_COMPLETED', 'READ_SECTORS', 'WRITE_COMPLETED', 'WRITE_SECTORS', 'IO_IN_PROGRESS'],
        ...io.devices.map((d) => [d.name, d.readsCompleted, d.readSectors, d.writesCompleted, d.writeSectors, d.ioInProgress]),
      ]);
    });
    await step('processes', async () =>
      table([
        ['PID', 'STATE', 'THREADS', 'CPU-TIME', 'VIRTMEM', 'RESMEM', 'COMMAND'],
        ...(await client.processes(node)).map((p) => [p.pid, p.state, p.threads, p.cpuTime, p.virtualMemory, p.residentMemory, p.command]),
      ]),
    );
    if (who.roles.includes('os:admin')) await step('devices', () => client.support.pciDevices(node));
    else errors.push('devices: reading /proc/bus/pci/devices needs os:admin');
    const kinds = await client.resourceDefinitions(node).catch((error: unknown) => {
      errors.push(`resources: ${message(error)}`);
      return [];
    });
    for (const kind of kinds) {
      await step(`resources/${kind.type}.yaml`, async () => {
        const items = await client.listResources(node, kind.namespace, kind.type);
        if (!items.length) return null;
        if (kind.sensitive) redacted.add(kind.type);
        return items
          .map((r) =>
            stringify({
              metadata: { namespace: r.namespace, type: r.type, id: r.id, version: r.version, owner: r.owner, phase: r.phase },
              spec: kind.sensitive ? REDACTED : r.spec,
            }),
          )
          .join('---\n');
      });
    }
    manifest.nodes.push({ node, files: count, errors });
    onProgress({ node, files: count, current: '', done: true });
  }
  if (signal.aborted) return manifest;
  manifest.redactedTypes = [...redacted].sort();
  add(
    'manifest.json',
    JSON.stringify(
      {
        generator: 'Nodeglass support bundle (talosctl support --no-encryption)',
        context: who.context,
        cluster: who.cluster,
        createdAt: new Date().toISOString(),
        ...manifest,
        scrubbed: scrubbed.map((s) => ({ file: s.file, patterns: s.hits.map((h) => `${h.pattern} x${h.count}`) })),
      },
      null,
      2,
    ) + '\n',
  );
  const zip = zipSync(files, { level: 6 });
  // The last line of defence: the entries as stored must hold no secret either.
  for (const [name, data] of Object.entries(files)) {
    const left = findSecrets(Buffer.from(data as Uint8Array).toString('utf8'));
    if (left.length) throw new Error(`The support bundle still held a secret in ${name} (${left[0]!.pattern}); nothing was saved.`);
  }
  for (let at = 0; at < zip.length; at += 256 * 1024) onChunk(zip.subarray(at, at + 256 * 1024));
  return manifest;
}
