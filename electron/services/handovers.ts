import { randomBytes } from 'node:crypto';

const LIFETIME_MS = 60_000;
const MAX_WAITING = 8;

export interface Handover {
  filename: string;
  type: string;
  body: Buffer;
}

/**
 * Files the browser-mode host hands to the browser's download manager (a talosconfig with its key in clear): each
 * is fetched once from `/handover/<id>` within a minute, so the bytes never pass through the page's script, the
 * WebSocket or the DOM. The unguessable id is the capability; the server checks Host as for every request.
 */
export class Handovers {
  private readonly waiting = new Map<string, Handover & { expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps a file for one download; returns the path the page navigates to. */
  offer(filename: string, content: string | Buffer, type = 'application/octet-stream'): string {
    this.prune();
    while (this.waiting.size >= MAX_WAITING) this.wipe(this.waiting.keys().next().value!);
    const id = randomBytes(24).toString('base64url');
    this.waiting.set(id, { filename, type, body: Buffer.from(content), expires: this.now() + LIFETIME_MS });
    return `/handover/${id}`;
  }

  /** The file behind a handover path, once; null when unknown, taken or expired. */
  take(urlPath: string): Handover | null {
    this.prune();
    const id = /^\/handover\/([A-Za-z0-9_-]{32})$/.exec(urlPath)?.[1];
    const found = id ? this.waiting.get(id) : undefined;
    if (!found || !id) return null;
    this.waiting.delete(id);
    return { filename: found.filename, type: found.type, body: found.body };
  }

  private wipe(id: string) {
    this.waiting.get(id)?.body.fill(0);
    this.waiting.delete(id);
  }

  private prune() {
    const now = this.now();
    for (const [id, h] of this.waiting) if (h.expires <= now) this.wipe(id);
  }
}
