import { Fragment } from 'react';

/**
 * Characters that change how text reads without being seen: C0/C1 controls (but tab and newline),
 * bidirectional embeddings, overrides and isolates, zero-width and other invisible format characters.
 * A node names a service `ext-\u202Eevil` and it would read "ext-live"; shown escaped, it cannot pretend.
 */
/* eslint-disable no-control-regex -- finding control characters is the point */
const HIDDEN =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]/g;
/* eslint-enable no-control-regex */

const NAMES: Record<number, string> = {
  0x200b: 'zero width space',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero width no-break space',
};

const escapeOf = (ch: string) => `\\u${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text with every hidden character written as `\uXXXX` (for titles, copies and plain strings). */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, escapeOf);
}

export const hasHiddenCharacters = (text: string) => text.search(HIDDEN) !== -1;

/** Renders node-supplied text with hidden characters shown as marked `\uXXXX` escapes. */
export function Visible({ text }: { text: string }) {
  if (!hasHiddenCharacters(text)) return <>{text}</>;
  const parts: (string | { ch: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(HIDDEN)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ ch: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          <Fragment key={i}>{p}</Fragment>
        ) : (
          <span key={i} className="escaped-char" title={`${NAMES[p.ch.codePointAt(0)!] ?? 'invisible control character'}, shown escaped`}>
            {escapeOf(p.ch)}
          </span>
        ),
      )}
    </>
  );
}
