import { describe, expect, it } from 'vitest';
import { makeTalosconfig } from '../test/helpers/talosconfigs';
import { maskPrivateKeys } from './mask-keys';

const decode = (v: string) => Buffer.from(v, 'base64').toString();
/** Every piece of a key a screen could show: its base64 value, each line of its PEM body, and its DER. */
const keyBytes = (keyB64: string) => {
  const pem = decode(keyB64);
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  return [keyB64.slice(0, 40), keyB64.slice(-40), ...body, body.join('')];
};

describe('masking private keys for an import preview', () => {
  it('replaces each talosconfig key with its BEGIN line and size, keeping names, endpoints and certificates', async () => {
    const { yaml, contexts } = await makeTalosconfig([{ name: 'admin@lab' }, { name: 'ed@lab', keyType: 'ed25519' }]);
    const masked = maskPrivateKeys(yaml);
    for (const ctx of Object.values(contexts)) {
      for (const piece of keyBytes(ctx.key)) expect(masked).not.toContain(piece);
      expect(masked).toContain(ctx.crt);
      expect(masked).toContain(ctx.ca);
    }
    const admin = decode(contexts['admin@lab']!.key);
    const ed = decode(contexts['ed@lab']!.key);
    expect(masked).toContain(`key: "-----BEGIN ${/BEGIN (.*)PRIVATE/.exec(admin)![1]}PRIVATE KEY----- key hidden (${admin.length} bytes)"`);
    expect(masked).toContain(`key: "-----BEGIN ${/BEGIN (.*)PRIVATE/.exec(ed)![1]}PRIVATE KEY----- key hidden (${ed.length} bytes)"`);
    expect(masked).toContain('admin@lab:');
    expect(masked).toContain('- 10.5.0.2');
  });

  it('hides raw PEM blocks, unterminated ones, block scalars, keys hidden in other fields, and key values it cannot read', async () => {
    const { contexts } = await makeTalosconfig([{ name: 'a' }]);
    const pem = decode(contexts.a!.key);
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const cases = [
      `Here is my key:\n${pem}\nthanks`,
      pem.slice(0, pem.length - 30),
      `contexts:\n  a:\n    key: |\n${pem
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}\n    endpoints: [1.2.3.4]`,
      `crt: ${contexts.a!.crt}${contexts.a!.key}`,
      `ca: ${contexts.a!.key}`,
      `key: ${body.join('')}`,
    ];
    for (const text of cases) {
      const masked = maskPrivateKeys(text);
      for (const piece of [...body, contexts.a!.key.slice(0, 40)]) expect(masked, text).not.toContain(piece);
    }
    expect(maskPrivateKeys(cases[2]!)).toMatch(
      / {4}key: "-----BEGIN .*PRIVATE KEY----- key hidden \(\d+ bytes\)"\n {4}endpoints: \[1\.2\.3\.4\]$/,
    );
    expect(maskPrivateKeys('key: not base64 at all!')).toBe('key: "key hidden (18 bytes)"');
    expect(maskPrivateKeys('context: a\nkey: ""\nkey: null')).toBe('context: a\nkey: ""\nkey: null');
  });
});
