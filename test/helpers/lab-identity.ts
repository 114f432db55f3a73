import { parse } from 'yaml';
import type { Lab } from '../../lab/cluster';
import { TalosClient } from '../../electron/talos/client';
import type { Minted } from '../../certs/pki';

const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** A client for one of the lab talosconfig's contexts (admin, operator, reader). */
export function labClient(lab: Lab, who: 'admin' | 'operator' | 'reader'): TalosClient {
  const ctx = (parse(lab.talosconfig) as { contexts: Record<string, { endpoints: string[]; ca: string; crt: string; key: string }> })
    .contexts[`${who}@${lab.cluster}`]!;
  return TalosClient.open({
    context: `${who}@${lab.cluster}`,
    endpoints: ctx.endpoints,
    roles: [`os:${who}`],
    caPem: decode(ctx.ca),
    certPem: decode(ctx.crt),
    keyPem: Buffer.from(decode(ctx.key)),
  });
}

/** A client with a freshly minted certificate (other key types, bad EKU, expired...). */
export function mintedClient(lab: Lab, minted: Minted, roles: string[], caPem = lab.ca.certPem, endpoints = [lab.endpoint]): TalosClient {
  return TalosClient.open({ context: 'minted', endpoints, roles, caPem, certPem: minted.certPem, keyPem: Buffer.from(minted.keyPem) });
}
