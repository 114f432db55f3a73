import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { KeyWrapper } from '../../certs/vault';
import { keyringWrapper } from './keyring-wrapper';

/** The thin Electron shim: the logic (and its tests) live in keyring-wrapper.ts. */
export function safeStorageWrapper(): { wrapper: KeyWrapper | null; note: string | null } {
  const openStore = () => {
    const store = new Store<Record<string, string>>({ name: 'keyring', clearInvalidConfig: false });
    return { path: store.path, get: (key: string) => store.get(key), set: (key: string, value: string) => store.set(key, value) };
  };
  return keyringWrapper(safeStorage, openStore, process.platform);
}
