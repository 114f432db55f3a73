import { randomUUID } from 'node:crypto';
import type { ImportDraft, ImportReport } from '../../../shared/domain/identity';
import { AppError } from '../../../shared/errors';
import { maskPrivateKeys } from '../../../certs/mask-keys';
import type { IdentityImport } from './identity-import';

const MAX_DRAFTS = 8;
const LIFETIME_MS = 15 * 60_000;

/**
 * Talosconfigs waiting between "choose or paste" and "import", held in the host: the renderer names a draft by its
 * id and sees only the masked text and the contexts, so no path and no key crosses the bridge on the way in.
 */
export class ImportDrafts {
  private readonly drafts = new Map<string, { yaml: string; expires: number }>();

  constructor(
    private readonly files: IdentityImport,
    private readonly now: () => number = Date.now,
  ) {}

  open(yaml: string, source: string): ImportDraft {
    this.prune();
    while (this.drafts.size >= MAX_DRAFTS) this.drafts.delete(this.drafts.keys().next().value!);
    const draftId = randomUUID();
    this.drafts.set(draftId, { yaml, expires: this.now() + LIFETIME_MS });
    const masked = maskPrivateKeys(yaml);
    try {
      return { draftId, source, masked, preview: this.files.preview(yaml), problem: null };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.drafts.delete(draftId);
      return { draftId, source, masked, preview: null, problem: error.message };
    }
  }

  /** Imports the chosen contexts of a draft (all or nothing) and forgets the draft once they are stored. */
  async import(draftId: string, contexts: string[] | null): Promise<ImportReport> {
    this.prune();
    const draft = this.drafts.get(draftId);
    if (!draft)
      throw new AppError(
        'NOT_FOUND',
        'This import was already done, cancelled, or left for more than 15 minutes; choose or paste the talosconfig again.',
      );
    const report = await this.files.importYaml(draft.yaml, contexts);
    this.drafts.delete(draftId);
    return report;
  }

  discard(draftId: string): boolean {
    return this.drafts.delete(draftId);
  }

  private prune() {
    const now = this.now();
    for (const [id, d] of this.drafts) if (d.expires <= now) this.drafts.delete(id);
  }
}
