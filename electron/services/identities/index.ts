import { IdentityBundles, IdentityImport, type ImportOptions } from './identity-import';
import { IdentityStore, type LockCheck } from './identity-store';
import { VaultAccess, type KeyringOptions } from './vault-access';

export interface Identities {
  vault: VaultAccess;
  store: IdentityStore;
  files: IdentityImport;
  bundles: IdentityBundles;
}

export function createIdentities(options: { vaultPath: string; locks?: LockCheck } & KeyringOptions & ImportOptions): Identities {
  const vault = new VaultAccess(options.vaultPath, options);
  const store = new IdentityStore(vault, options.now, options.locks);
  return { vault, store, files: new IdentityImport(store, options), bundles: new IdentityBundles(store, options.now) };
}
