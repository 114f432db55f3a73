import type { PerNode } from '../../shared/domain/node';
import { TalosClient } from '../talos/client';
import { fanOut } from '../talos/fan-out';
import type { IdentityStore } from './identities/identity-store';

/** One open client per identity; keys are decrypted only when a client is opened, then zeroed. */
export class TalosSessions {
  private readonly clients = new Map<string, Promise<TalosClient>>();

  constructor(private readonly identities: Pick<IdentityStore, 'material'>) {}

  /** Concurrent callers share one opening, so an identity never gets two channels (or two key decryptions). */
  client(identityId: string): Promise<TalosClient> {
    let opening = this.clients.get(identityId);
    if (!opening) {
      opening = this.open(identityId);
      this.clients.set(identityId, opening);
      opening.catch(() => this.clients.delete(identityId));
    }
    return opening;
  }

  /** Runs `fn` on every node with the identity's client; one node failing never fails the others. */
  readonly perNode = async <T>(
    identityId: string,
    nodes: string[],
    fn: (client: TalosClient, node: string) => Promise<T>,
  ): Promise<PerNode<T>[]> => {
    const client = await this.client(identityId);
    return fanOut(nodes, (node) => fn(client, node));
  };

  private async open(identityId: string): Promise<TalosClient> {
    const material = await this.identities.material(identityId);
    try {
      return TalosClient.open(material);
    } finally {
      material.keyPem.fill(0);
    }
  }

  forget(identityId?: string): void {
    for (const [id, opening] of this.clients) {
      if (identityId && id !== identityId) continue;
      this.clients.delete(id);
      void opening.then(
        (client) => client.close(),
        () => undefined,
      );
    }
  }
}
