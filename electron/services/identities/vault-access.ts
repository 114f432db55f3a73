import type { VaultStatus } from '../../../shared/domain/identity';
import { AppError } from '../../../shared/errors';
import { passphraseWrapper, Vault, type KeyWrapper } from '../../../certs/vault';

export interface KeyringOptions {
  /** Desktop passes a safeStorage wrapper when the OS keyring is usable; browser mode uses passphrases. */
  keyringWrapper?: KeyWrapper | null;
  keyringNote?: string | null;
}

/** The encrypted vault's lifecycle: loaded once, unlocked by the OS keyring or a passphrase, locked on request. */
export class VaultAccess {
  readonly vault: Vault;
  private loaded: Promise<void> | null = null;

  constructor(
    vaultPath: string,
    private readonly keyring: KeyringOptions = {},
  ) {
    this.vault = new Vault(vaultPath);
  }

  /** Loads the file once (again after a failure); a keyring-wrapped vault unlocks by itself. */
  ready(): Promise<void> {
    this.loaded ??= this.vault
      .load()
      .then(async (state) => {
        if (state === 'present' && this.vault.wrapperKind === 'safe-storage' && this.keyring.keyringWrapper)
          await this.vault.unlock(this.keyring.keyringWrapper);
      })
      .catch((error: unknown) => {
        this.loaded = null;
        throw error;
      });
    return this.loaded;
  }

  async status(): Promise<VaultStatus> {
    await this.ready();
    const mode = this.vault.wrapperKind ?? (this.keyring.keyringWrapper ? 'safe-storage' : 'passphrase');
    const state = !this.vault.exists ? 'uninitialized' : this.vault.unlocked ? 'unlocked' : 'locked';
    return { mode, state, note: this.keyring.keyringNote ?? null };
  }

  async setup(passphrase: string | null): Promise<VaultStatus> {
    await this.ready();
    const wrapper = passphrase ? passphraseWrapper(passphrase) : this.keyring.keyringWrapper;
    if (!wrapper)
      throw new AppError('VAULT_INSECURE_BACKEND', 'No OS keyring is available here; choose a passphrase to protect your keys.');
    await this.vault.create(wrapper);
    return this.status();
  }

  async unlock(passphrase: string): Promise<VaultStatus> {
    await this.ready();
    await this.vault.unlock(passphraseWrapper(passphrase));
    return this.status();
  }

  async lock(): Promise<VaultStatus> {
    this.vault.lock();
    return this.status();
  }

  deriveSecret(label: string): Buffer | null {
    return this.vault.deriveSecret(label);
  }
}
