import type { KeyWrapper } from '../../certs/vault';
import { AppError } from '../../shared/errors';

/** The parts of Electron's safeStorage the wrapper uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}

/** Where the wrapped data key is kept (electron-store in the app). */
export interface KeyStoreLike {
  path: string;
  get(key: string): unknown;
  set(key: string, value: string): void;
}

const STORE_KEY = 'vaultDataKey';

/**
 * Wraps the vault's data key with the OS keyring and keeps the wrapped key in the store; the vault file
 * only records where it is. Refuses Linux's `basic_text` backend, which protects nothing.
 */
export function keyringWrapper(
  safeStorage: SafeStorageLike,
  openStore: () => KeyStoreLike,
  platform: NodeJS.Platform,
): { wrapper: KeyWrapper | null; note: string | null } {
  if (!safeStorage.isEncryptionAvailable())
    return { wrapper: null, note: 'No OS keyring is available; protect your keys with a passphrase.' };
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown')
      return {
        wrapper: null,
        note: `The Linux keyring backend is "${backend}", which does not protect secrets; use a passphrase instead.`,
      };
  }
  const store = openStore();
  return {
    note: null,
    wrapper: {
      kind: 'safe-storage',
      async wrap(dataKey) {
        store.set(STORE_KEY, safeStorage.encryptString(dataKey.toString('base64')).toString('base64'));
        return { store: 'electron-store', key: STORE_KEY };
      },
      async unwrap() {
        const wrapped = store.get(STORE_KEY);
        if (typeof wrapped !== 'string')
          throw new AppError(
            'VAULT_CORRUPT',
            `The vault's key is missing from ${store.path}; the vault cannot be opened. Restore that file or start a new vault.`,
          );
        let text: string;
        try {
          text = safeStorage.decryptString(Buffer.from(wrapped, 'base64'));
        } catch {
          throw new AppError(
            'VAULT_CORRUPT',
            'The OS keyring could not decrypt the vault key (was the keyring reset or the profile copied from another user?).',
          );
        }
        return Buffer.from(text, 'base64');
      },
    },
  };
}
