import type { IdentityColour, IdentitySummary, MintRecord } from '../../../shared/domain/identity';
import { AppError } from '../../../shared/errors';
import { goDuration } from '../../../shared/talosctl';
import type { ValidatedIdentity } from '../../../certs/identity-validation';
import { TalosClient } from '../../talos/client';
import type { TalosSessions } from '../talos-sessions';
import type { IdentityMeta } from './identity-summary';
import type { IdentityStore } from './identity-store';

export interface MintRequest {
  /** The admin identity whose connection asks the node. */
  viaId: string;
  /** A control plane, or null for the endpoint itself. */
  node: string | null;
  roles: string[];
  ttlSeconds: number;
  name: string | null;
  label: string | null;
  colour: IdentityColour | null;
  readOnly: boolean;
  shift: boolean;
}

export interface Minted {
  summary: IdentitySummary;
  /** What the audit trail keeps of the result: names, roles, lifetime, fingerprint; never the key. */
  note: string;
}

/** `reader@lab` for one role as Talos names it; `etcd:backup+operator@lab` rather than Talos' bare `lab` for several. */
function defaultName(context: string, roles: string[], cluster: string): string {
  return roles.length === 1 ? context : `${roles.map((r) => r.replace(/^os:/, '')).join('+')}@${cluster}`;
}

const NO_ENDPOINTS = /has no endpoints/;

/**
 * Mints identities through an admin identity's connection (`talosctl config new`) and puts them straight into
 * the vault; renews identities by minting the same roles and lifetime and swapping them in once the new
 * certificate connects. The minted key never leaves the main process.
 */
export class IdentityMinting {
  constructor(
    private readonly store: IdentityStore,
    private readonly sessions: TalosSessions,
    private readonly now: () => number = Date.now,
  ) {}

  private async generate(viaId: string, node: string | null, roles: string[], ttlSeconds: number) {
    await this.store.requireWritable();
    const via = await this.store.meta(viaId);
    const client = await this.sessions.client(viaId);
    try {
      const minted = await client.generateClientConfiguration(node, { roles, ttlSeconds });
      return { via, minted };
    } catch (error) {
      if (error instanceof AppError && error.code === 'INVALID_ARGUMENT' && /crt_ttl/.test(error.message))
        throw new AppError('INVALID_ARGUMENT', `${error.message}. Talos needs a certificate lifetime longer than zero; choose one.`);
      if (error instanceof AppError && error.code === 'FAILED_PRECONDITION' && /worker/.test(error.message))
        throw new AppError('FAILED_PRECONDITION', `${error.message}. Mint through a control-plane node.`);
      throw error;
    }
  }

  private record(via: IdentityMeta, ttlSeconds: number, shift: boolean): MintRecord {
    return { by: via.name, byFingerprint: via.fingerprint, at: new Date(this.now()).toISOString(), ttlSeconds, shift };
  }

  async mint(request: MintRequest): Promise<Minted> {
    const { via, minted } = await this.generate(request.viaId, request.node, request.roles, request.ttlSeconds);
    const identity: ValidatedIdentity = {
      ...minted.identity,
      endpoints: via.endpoints,
      nodes: via.nodes,
      warnings: minted.identity.warnings.filter((w) => !NO_ENDPOINTS.test(w)),
    };
    const name = await this.store.freeName(request.name?.trim() || defaultName(minted.context, identity.roles, via.cluster));
    const [meta] = await this.store.add([
      {
        identity,
        name,
        cluster: via.cluster,
        marks: {
          label: request.label,
          colour: request.colour,
          readOnly: request.readOnly,
          minted: this.record(via, request.ttlSeconds, request.shift),
        },
      },
    ]);
    return {
      summary: await this.store.summaryOf(meta!.id),
      note: `minted "${name}" (${identity.roles.join(', ')}, ${goDuration(request.ttlSeconds)}), certificate SHA-256 ${identity.fingerprint}, valid until ${identity.notAfter}`,
    };
  }

  /**
   * Mints the same roles with the same lifetime through `viaId`, checks that the new certificate connects, and only
   * then replaces the old one (same id, name and marks). If the new one does not connect, the old one stays.
   */
  async renew(id: string, viaId: string, node: string | null): Promise<Minted> {
    const old = await this.store.meta(id);
    const lifetime = old.minted?.ttlSeconds ?? Math.round((Date.parse(old.notAfter) - Date.parse(old.notBefore)) / 1000);
    const { via, minted } = await this.generate(viaId, node, old.roles, lifetime);
    const identity = { ...minted.identity, endpoints: old.endpoints, nodes: old.nodes };
    await this.checkConnects(identity, node);
    const summary = await this.store.replace(id, identity, this.record(via, lifetime, old.minted?.shift ?? false));
    this.sessions.forget(id);
    return {
      summary,
      note: `renewed "${old.name}" (${identity.roles.join(', ')}, ${goDuration(lifetime)}): certificate SHA-256 ${identity.fingerprint} replaces ${old.fingerprint}, valid until ${identity.notAfter}`,
    };
  }

  /** A renewed certificate must complete mTLS with the node before it replaces the old one; RBAC refusing Version still proves that. */
  private async checkConnects(identity: ValidatedIdentity, node: string | null): Promise<void> {
    const keyPem = Buffer.from(identity.keyPem);
    let client: TalosClient;
    try {
      client = TalosClient.open({ ...identity, keyPem });
    } finally {
      keyPem.fill(0);
    }
    try {
      await client.version(node);
    } catch (error) {
      if (error instanceof AppError && error.code === 'PERMISSION_DENIED') return;
      const why = error instanceof Error ? error.message : String(error);
      throw new AppError(
        error instanceof AppError ? error.code : 'UNAVAILABLE',
        `The renewed certificate did not connect, so the current one was kept: ${why}`,
      );
    } finally {
      client.close();
    }
  }
}
