import { parse } from 'yaml';
import { MachineServiceService as M } from '../../../proto/gen/machine/machine';
import { validateContext, type ValidatedIdentity } from '../../../certs/identity-validation';
import { AppError } from '../../../shared/errors';
import type { TalosConnection } from '../connection';

export interface ClientConfigurationRequest {
  /** e.g. ['os:reader']; Talos keeps unknown strings (they grant nothing) and sorts the set. */
  roles: string[];
  /** Certificate lifetime; Talos refuses 0 or less with InvalidArgument "crt_ttl should be positive". */
  ttlSeconds: number;
}

/**
 * What the node minted. It holds a private key: it stays in the privileged process and goes straight into the vault.
 * `identity` is the minted context validated like an imported one (roles, fingerprint, NotAfter…).
 */
export interface MintedClientConfiguration {
  /** The talosconfig YAML exactly as the node wrote it (one context, `endpoints: []`). */
  talosconfig: string;
  context: string;
  identity: ValidatedIdentity;
}

/** `/machine.MachineService/GenerateClientConfiguration` (os:admin, control planes only), as `talosctl config new` calls it. */
export async function generateClientConfiguration(
  connection: TalosConnection,
  /** A control plane, or null for the endpoint itself (apid answers without forwarding). */
  node: string | null,
  request: ClientConfigurationRequest,
): Promise<MintedClientConfiguration> {
  const seconds = Math.trunc(request.ttlSeconds);
  const nanos = Math.round((request.ttlSeconds - seconds) * 1e9);
  const response = await connection.unary(
    M.generateClientConfiguration,
    { roles: request.roles, crtTtl: { seconds: String(seconds), nanos } },
    node,
  );
  const message = response.messages[0];
  const where = node ?? 'The endpoint';
  if (!message) throw new AppError('INTERNAL', 'GenerateClientConfiguration returned no message.');
  const talosconfig = Buffer.from(message.talosconfig).toString('utf8');
  let parsed: { context?: unknown; contexts?: Record<string, Record<string, unknown>> };
  try {
    parsed = parse(talosconfig) as typeof parsed;
  } catch (error) {
    throw new AppError('INTERNAL', `${where} returned a talosconfig that does not parse (${(error as Error).message}).`);
  }
  const context = typeof parsed?.context === 'string' ? parsed.context : '';
  const raw = parsed?.contexts?.[context];
  if (!raw) throw new AppError('INTERNAL', `${where} returned a talosconfig without its context "${context}".`);
  return { talosconfig, context, identity: validateContext(context, raw, new Date()) };
}
