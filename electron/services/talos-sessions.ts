import { TalosClient } from '../talos/client';
import type { IdentityService } from './identity-service';

/** One open client per identity; keys are decrypted only when a client is opened, then zeroed. */
export class TalosSessions {
  private readonly clients = new Map<string, TalosClient>();

  constructor(private readonly identities: IdentityService) {}

  async client(identityId: string): Promise<TalosClient> {
    const existing = this.clients.get(identityId);
    if (existing) return existing;
    const material = await this.identities.material(identityId);
    try {
      const client = TalosClient.open(material);
      this.clients.set(identityId, client);
      return client;
    } finally {
      material.keyPem.fill(0);
    }
  }

  forget(identityId?: string): void {
    for (const [id, client] of this.clients) {
      if (identityId && id !== identityId) continue;
      client.close();
      this.clients.delete(id);
    }
  }
}
