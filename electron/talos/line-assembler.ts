/**
 * Reassembles `common.Data` chunks (1 KiB, not aligned to lines, may split a UTF-8 character) into lines.
 * A partial line is carried to the next chunk; `flush` returns the last line when the stream ends without "\n".
 */
export class LineAssembler {
  private readonly decoder = new TextDecoder('utf-8');
  private carry = '';

  push(chunk: Uint8Array): string[] {
    const text = this.carry + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.carry = lines.pop() ?? '';
    return lines;
  }

  flush(): string[] {
    const rest = this.carry + this.decoder.decode();
    this.carry = '';
    return rest ? [rest] : [];
  }

  /** Drops a partial line (after a reconnect the server resends whole lines). */
  reset(): void {
    this.carry = '';
    this.decoder.decode();
  }
}
