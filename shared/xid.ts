const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

/** The time inside a Talos event id (an xid: its first 32 bits are Unix seconds), or null if it is not one. */
export function xidTime(id: string): number | null {
  if (!/^[0-9a-v]{20}$/.test(id)) return null;
  let seconds = 0;
  // 32 bits = the first 6 characters (30 bits) and the top 2 bits of the seventh.
  for (let i = 0; i < 6; i++) seconds = seconds * 32 + ALPHABET.indexOf(id[i]!);
  seconds = seconds * 4 + (ALPHABET.indexOf(id[6]!) >> 3);
  return seconds * 1000;
}
