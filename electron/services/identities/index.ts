import { IdentityBundles, IdentityImport, type ImportOptions } from './identity-import';
import { ImportDrafts } from './import-drafts';
import { IdentityStore, type LockCheck } from './identity-store';
import { VaultAccess, type KeyringOptions } from './vault-access';

export interface Identities {
  vault: VaultAccess;
  store: IdentityStore;
  files: IdentityImport;
  drafts: ImportDrafts;
  bundles: IdentityBundles;
}

export function createIdentities(options: { vaultPath: string; locks?: LockCheck } & KeyringOptions & ImportOptions): Identities {
  const vault = new VaultAccess(options.vaultPath, options);
  const store = new IdentityStore(vault, options.now, options.locks);
  const files = new IdentityImport(store, options);
  return { vault, store, files, drafts: new ImportDrafts(files, options.now), bundles: new IdentityBundles(store, options.now) };
}
