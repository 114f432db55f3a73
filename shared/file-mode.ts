/** Go `os.FileMode` bits (as Talos' List returns them) rendered like `os.FileMode.String()` and `ls -l`. */
const TYPE_LETTERS = 'dalTLDpSugct?';

export function formatFileMode(mode: number): string {
  const m = mode >>> 0;
  let out = '';
  for (let i = 0; i < TYPE_LETTERS.length; i++) {
    if (m & (2 ** (31 - i))) out += TYPE_LETTERS[i];
  }
  if (out === '') out = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) out += m & (1 << (8 - i)) ? rwx[i] : '-';
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** talosctl ls -l time: `Jan _2 15:04:05` within six months, else `Jan _2 2006 15:04`. */
export function formatModified(unixSeconds: number, now = Date.now()): string {
  const d = new Date(unixSeconds * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const p = (n: number) => String(n).padStart(2, '0');
  const recent = Math.abs(now - d.getTime()) < 182 * 86_400_000;
  return recent
    ? `${MONTHS[d.getUTCMonth()]} ${day} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
    : `${MONTHS[d.getUTCMonth()]} ${day} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
