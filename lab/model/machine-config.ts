import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const base = {
  controlplane: readFileSync(new URL('../data/stability-v1.13-base-controlplane.yaml', import.meta.url), 'utf8'),
  worker: readFileSync(new URL('../data/stability-v1.13-base-worker.yaml', import.meta.url), 'utf8'),
};

/** A node's machine config, built from the v1.13 stability configs with this node's name and address. */
export function buildMachineConfig(
  type: 'controlplane' | 'worker',
  cluster: string,
  hostname: string,
  ip: string,
  endpointIp: string,
): string {
  const docs = parseAllDocuments(base[type]);
  const main = docs[0];
  if (main) {
    main.setIn(['machine', 'certSANs'], [ip]);
    main.setIn(['machine', 'kubelet', 'image'], 'ghcr.io/siderolabs/kubelet:v1.36.3');
    main.setIn(['machine', 'network'], { hostname });
    main.setIn(['cluster', 'clusterName'], cluster);
    main.setIn(['cluster', 'controlPlane', 'endpoint'], `https://${endpointIp}:6443`);
    if (type === 'controlplane') {
      for (const component of ['apiServer', 'controllerManager', 'scheduler', 'proxy']) {
        const image = main.getIn(['cluster', component, 'image']);
        if (typeof image === 'string') main.setIn(['cluster', component, 'image'], image.replace(/:v[\d.]+$/, ':v1.36.3'));
      }
    }
  }
  const hostnameDoc = docs[1];
  if (hostnameDoc) {
    hostnameDoc.delete('auto');
    hostnameDoc.set('hostname', hostname);
  }
  return docs.map((d) => d.toString({ indent: 4, lineWidth: 0 }).replace(/^---\n/, '')).join('---\n');
}

/** Validates a submitted config the way Talos would before applying it. */
export function validateMachineConfig(text: string): { error: string | null; hostname: string | null } {
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (error) {
    return { error: `failed to parse config: ${(error as Error).message}`, hostname: null };
  }
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length) return { error: `failed to parse config: ${errors[0]}`, hostname: null };
  const values = docs.map((d) => d.toJS() as Record<string, unknown> | null);
  const main = values.find((v) => v && v.version === 'v1alpha1');
  if (!main) return { error: 'config validation failed: machine config is missing the v1alpha1 document', hostname: null };
  const machine = main.machine as Record<string, unknown> | undefined;
  if (!machine || typeof machine.type !== 'string') return { error: '1 error occurred:\n\t* machine.type is required\n\n', hostname: null };
  const network = machine.network as Record<string, unknown> | undefined;
  const hostnameDoc = values.find((v) => v?.kind === 'HostnameConfig');
  const hostname = (hostnameDoc?.hostname as string | undefined) ?? (network?.hostname as string | undefined) ?? null;
  return { error: null, hostname };
}
