import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Shift } from '../../../shared/domain/shift';
import { writeFileAtomic } from '../../../certs/atomic-file';
import type { LockCheck } from '../identities/identity-store';

type StoredShift = Omit<Shift, 'active'>;

/**
 * The current on-call shift, kept in a small file beside the vault so a restart keeps the admin identities locked.
 * Locks lapse by themselves when the shift's time is over. A damaged file is reported and treated as no shift:
 * the lock is a guard against habit, not a way to keep someone from their own keys.
 */
export class ShiftState implements LockCheck {
  private shift: StoredShift | null = null;
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
    private readonly log: (message: string) => void = console.error,
  ) {}

  ready(): Promise<void> {
    this.loaded ??= readFile(this.file, 'utf8').then(
      (text) => {
        try {
          const parsed = JSON.parse(text) as { shift?: StoredShift | null };
          this.shift = parsed.shift && typeof parsed.shift.endsAt === 'string' ? parsed.shift : null;
        } catch (error) {
          this.log(`[shift] ${this.file} is damaged (${(error as Error).message}); no shift is active.`);
        }
      },
      () => undefined,
    );
    return this.loaded;
  }

  /** The shift, running or over, or null when none was started (or it was ended). */
  async current(): Promise<Shift | null> {
    await this.ready();
    return this.shift ? { ...this.shift, active: this.active() } : null;
  }

  private active(): boolean {
    return this.shift !== null && this.now() < Date.parse(this.shift.endsAt);
  }

  isLocked(id: string): boolean {
    if (!this.shift || !this.active()) return false;
    return this.shift.locked.some((l) => l.id === id) && !this.shift.unlocked.some((u) => u.id === id);
  }

  async start(shift: StoredShift): Promise<Shift> {
    await this.save(shift);
    return (await this.current())!;
  }

  async unlock(id: string, name: string, reason: string): Promise<Shift> {
    await this.ready();
    if (!this.shift) throw new Error('no shift');
    await this.save({ ...this.shift, unlocked: [...this.shift.unlocked, { id, name, reason, at: new Date(this.now()).toISOString() }] });
    return (await this.current())!;
  }

  async end(): Promise<void> {
    await this.save(null);
  }

  private async save(shift: StoredShift | null): Promise<void> {
    await this.ready();
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, shift }, null, 1));
    this.shift = shift;
  }
}
