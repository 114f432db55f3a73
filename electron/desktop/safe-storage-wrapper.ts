import { safeStorage } from 'electron';
import type { KeyWrapper } from '../../certs/vault';

/** Wraps the vault's data key with the OS keyring; refuses Linux's insecure `basic_text` backend. */
export function safeStorageWrapper(): { wrapper: KeyWrapper | null; note: string | null } {
  if (!safeStorage.isEncryptionAvailable())
    return { wrapper: null, note: 'No OS keyring is available; protect your keys with a passphrase.' };
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return {
        wrapper: null,
        note: `The Linux keyring backend is "${backend}", which does not protect secrets; use a passphrase instead.`,
      };
    }
  }
  return {
    note: null,
    wrapper: {
      kind: 'safe-storage',
      wrap: async (dataKey) => safeStorage.encryptString(dataKey.toString('base64')).toString('base64'),
      unwrap: async (wrapped) => Buffer.from(safeStorage.decryptString(Buffer.from(String(wrapped), 'base64')), 'base64'),
    },
  };
}
