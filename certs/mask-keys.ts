/**
 * Hides private key material in text the renderer shows (an import preview): a PEM private key block becomes
 * its BEGIN line and "key hidden (N bytes)"; a base64 value that decodes to one, and every talosconfig `key:`
 * value whatever it holds, likewise. What is left (names, endpoints, certificates) is safe to show on a shared screen.
 */

const PEM_KEY = /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
const KEY_LINE = /^(\s*(?:-\s+)?)(["']?)key\2(\s*):(.*)$/;
const BEGIN = /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY-----/;

const hidden = (kind: string, bytes: number) => `-----BEGIN ${kind}PRIVATE KEY----- key hidden (${bytes} bytes)`;

function decodedKey(base64: string): string | null {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  const begin = BEGIN.exec(text);
  return begin ? hidden(begin[1]!, Buffer.byteLength(text, 'latin1')) : null;
}

/** The value of a `key:` line (and its block-scalar continuation lines) as one masked scalar. */
function maskedKeyValue(value: string): string {
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  if (trimmed === '' || trimmed === '~' || trimmed === 'null') return value;
  if (trimmed.startsWith('-----BEGIN ') && trimmed.includes(' key hidden (')) return JSON.stringify(trimmed);
  const pem = BEGIN.exec(trimmed);
  if (pem) return JSON.stringify(hidden(pem[1]!, Buffer.byteLength(trimmed)));
  const compact = trimmed.replace(/\s+/g, '');
  const decoded = /^[A-Za-z0-9+/]+=*$/.test(compact) ? decodedKey(compact) : null;
  return JSON.stringify(decoded ?? `key hidden (${Buffer.byteLength(trimmed)} bytes)`);
}

export function maskPrivateKeys(text: string): string {
  const inline = text
    .replace(PEM_KEY, (block, kind: string) => hidden(kind, Buffer.byteLength(block)))
    .replace(BASE64_RUN, (run) => decodedKey(run) ?? run);
  const lines = inline.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = KEY_LINE.exec(lines[i]!);
    if (!m) {
      out.push(lines[i]!);
      continue;
    }
    const indent = m[1]!.length;
    let value = m[4]!.trim();
    // A block scalar (`key: |`) goes on in the more-indented lines that follow.
    if (/^\s*[|>][-+0-9]*\s*$/.test(value)) {
      const body: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || lines[i + 1]!.search(/\S/) > indent)) body.push(lines[++i]!.trim());
      value = body.join('\n');
    }
    out.push(value === '' ? lines[i]! : `${m[1]}${m[2]}key${m[2]}${m[3]}: ${maskedKeyValue(value)}`);
  }
  return out.join('\n');
}
