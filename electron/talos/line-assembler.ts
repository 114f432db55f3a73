/** Longest line kept, in characters; the rest of a longer line is dropped and the line marked as truncated. */
export const MAX_LINE_CHARS = 256 * 1024;

export const truncationMark = (total: number) => ` … [line truncated by Nodeglass: ${total} characters, first ${MAX_LINE_CHARS} kept]`;

/**
 * Reassembles `common.Data` chunks (1 KiB, not aligned to lines, may split a UTF-8 character) into lines.
 * A partial line is kept as a list of pieces (joined once, when its newline arrives), so a long line costs
 * linear time; beyond MAX_LINE_CHARS its text is dropped and only counted. `flush` returns the last line
 * when the stream ends without "\n".
 */
export class LineAssembler {
  private readonly decoder = new TextDecoder('utf-8');
  private pieces: string[] = [];
  /** Characters kept for the current line, and all characters it had. */
  private kept = 0;
  private total = 0;

  push(chunk: Uint8Array): string[] {
    return this.take(this.decoder.decode(chunk, { stream: true }));
  }

  flush(): string[] {
    const lines = this.take(this.decoder.decode());
    if (this.total > 0) lines.push(this.finishLine(''));
    return lines;
  }

  /** Drops a partial line (after a reconnect the server resends whole lines). */
  reset(): void {
    this.pieces = [];
    this.kept = this.total = 0;
    this.decoder.decode();
  }

  private take(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      lines.push(this.finishLine(text.slice(start, newline)));
      start = newline + 1;
    }
    this.add(start === 0 ? text : text.slice(start));
    return lines;
  }

  private add(piece: string): void {
    if (!piece) return;
    this.total += piece.length;
    const room = MAX_LINE_CHARS - this.kept;
    if (room <= 0) return;
    const part = piece.length > room ? piece.slice(0, room) : piece;
    this.pieces.push(part);
    this.kept += part.length;
  }

  private finishLine(last: string): string {
    this.add(last);
    const total = this.total;
    const line = this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
    this.pieces = [];
    this.kept = this.total = 0;
    return total > MAX_LINE_CHARS ? line + truncationMark(total) : line;
  }
}
