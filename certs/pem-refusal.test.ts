import { describe, expect, it } from 'vitest';
import { makeTalosconfig } from '../test/helpers/talosconfigs';
import { b64, stringifyTalosconfig } from './talosconfig';
import { parseTalosconfig } from './talosconfig-import';

const decode = (v: string) => Buffer.from(v, 'base64').toString();

async function context() {
  const { contexts } = await makeTalosconfig([{ name: 'admin@lab' }]);
  return contexts['admin@lab']!;
}

const problemsOf = (ctx: Record<string, unknown>) =>
  parseTalosconfig(stringifyTalosconfig({ context: 'x', contexts: { x: ctx as never } })).contexts[0]!.problems;

describe('PEM blocks on import', () => {
  it('refuses a private key bundled into "crt" or "ca", so it never lands in the clear metadata', async () => {
    const ctx = await context();
    const key = decode(ctx.key);
    expect(problemsOf({ ...ctx, crt: b64(decode(ctx.crt) + key) })[0]).toMatch(
      /"crt" holds a private key\. A private key belongs only in "key"/,
    );
    expect(problemsOf({ ...ctx, crt: b64(key + decode(ctx.crt)) })[0]).toMatch(/"crt" holds a private key/);
    expect(problemsOf({ ...ctx, ca: b64(decode(ctx.ca) + key) })[0]).toMatch(/"ca" holds a private key/);
    // Even a key whose PEM armour is broken is recognised.
    expect(problemsOf({ ...ctx, crt: b64(`${decode(ctx.crt)}-----BEGIN PRIVATE KEY-----\nAAAA\n`) })[0]).toMatch(
      /"crt" holds a private key/,
    );
  });

  it('checks every block: only certificates in "crt" and "ca", exactly one key in "key"', async () => {
    const ctx = await context();
    const junk = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
    expect(problemsOf({ ...ctx, crt: b64(decode(ctx.crt) + junk) })[0]).toMatch(
      /"crt" must hold PEM CERTIFICATE blocks only \(found CERTIFICATE, PUBLIC KEY\)/,
    );
    expect(problemsOf({ ...ctx, key: b64(decode(ctx.key) + decode(ctx.key)) })[0]).toMatch(/"key" must be exactly one private key PEM/);
  });

  it('stores only the re-encoded certificate blocks, not text around them', async () => {
    const ctx = await context();
    const parsed = parseTalosconfig(
      stringifyTalosconfig({
        context: 'x',
        contexts: { x: { ...ctx, crt: b64(`note: issued by ops\n${decode(ctx.crt)}trailing text\n`) } },
      }),
    );
    const identity = parsed.contexts[0]!.identity!;
    expect(identity.certPem).toBe(decode(ctx.crt));
    expect(identity.certPem).not.toContain('note');
  });
});
