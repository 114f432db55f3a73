import { createCa, issueClientCert, type KeyType, type LeafOptions, type Minted } from '../../certs/pki';
import { b64, stringifyTalosconfig, type Talosconfig, type TalosconfigContext } from '../../certs/talosconfig';

export interface ContextSpec {
  name: string;
  roles?: string[];
  keyType?: KeyType;
  leaf?: LeafOptions;
  ca?: Minted;
  endpoints?: string[];
}

/** Writes a talosconfig exactly as talosctl does, with freshly minted certificates. */
export async function makeTalosconfig(
  specs: ContextSpec[],
  current = specs[0]?.name ?? '',
): Promise<{ yaml: string; ca: Minted; contexts: Record<string, TalosconfigContext> }> {
  const ca = await createCa();
  const config: Talosconfig = { context: current, contexts: {} };
  for (const spec of specs) {
    const signer = spec.ca ?? ca;
    const cert = await issueClientCert(signer, spec.roles ?? ['os:admin'], { keyType: spec.keyType, ...spec.leaf });
    config.contexts[spec.name] = {
      endpoints: spec.endpoints ?? ['10.5.0.2'],
      nodes: ['10.5.0.2'],
      ca: b64(ca.certPem),
      crt: b64(cert.certPem),
      key: b64(cert.keyPem),
    };
  }
  return { yaml: stringifyTalosconfig(config), ca, contexts: config.contexts };
}
