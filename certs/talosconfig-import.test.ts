import { describe, expect, it } from 'vitest';
import { b64, stringifyTalosconfig } from './talosconfig';
import { createCa, issueClientCert } from './pki';
import { x509 } from './x509-provider';
import { parseTalosconfig, uniqueName } from './talosconfig-import';
import { makeTalosconfig } from '../test/helpers/talosconfigs';

const codeAndMessage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a failure');
};

describe('talosconfig parsing and validation', () => {
  it('reads Ed25519 (ED25519 PRIVATE KEY label), ECDSA and RSA contexts with roles, fingerprint and key type', async () => {
    const { yaml } = await makeTalosconfig([
      { name: 'admin@lab', roles: ['os:admin'] },
      { name: 'ops@lab', roles: ['os:operator'], keyType: 'ecdsa' },
      { name: 'rsa@lab', roles: ['os:reader', 'os:etcd:backup'], keyType: 'rsa' },
    ]);
    expect(yaml).toContain('\n    admin@lab:\n        endpoints:\n            - 10.5.0.2');
    expect(Buffer.from(/key: (\S+)/.exec(yaml)![1]!, 'base64').toString()).toContain('-----BEGIN ED25519 PRIVATE KEY-----');
    const parsed = parseTalosconfig(yaml);
    expect(parsed.current).toBe('admin@lab');
    const [ed, ec, rsa] = parsed.contexts.map((c) => c.identity!);
    expect(ed).toMatchObject({ roles: ['os:admin'], keyAlgorithm: 'Ed25519' });
    expect(ec).toMatchObject({ roles: ['os:operator'], keyAlgorithm: 'ECDSA prime256v1' });
    expect(rsa).toMatchObject({ roles: ['os:reader', 'os:etcd:backup'], keyAlgorithm: 'RSA 2048' });
    expect(ed!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('refuses file-level problems with their own messages', () => {
    expect(codeAndMessage(() => parseTalosconfig('   '))).toEqual({ code: 'IDENTITY_INVALID', message: 'The talosconfig is empty.' });
    expect(codeAndMessage(() => parseTalosconfig('context: [unclosed'))).toMatchObject({
      message: expect.stringMatching(/^The file is not YAML/),
    });
    expect(codeAndMessage(() => parseTalosconfig('x'.repeat(1_048_577)))).toMatchObject({ code: 'TOO_LARGE' });
    expect(codeAndMessage(() => parseTalosconfig('context: a\ncontexts: {}\n'))).toMatchObject({
      message: 'The talosconfig has no contexts.',
    });
    expect(codeAndMessage(() => parseTalosconfig('context: missing\ncontexts:\n    a: {}\n'))).toMatchObject({
      message: expect.stringContaining('"missing" is not among'),
    });
  });

  const problem = async (mutate: (ctx: Record<string, string | string[]>) => void) => {
    const { contexts } = await makeTalosconfig([{ name: 'c' }]);
    const ctx = { ...contexts.c } as unknown as Record<string, string | string[]>;
    mutate(ctx);
    const yaml = stringifyTalosconfig({ context: 'c', contexts: { c: ctx as never } });
    return parseTalosconfig(yaml).contexts[0]!;
  };

  it('names the context and the problem for each bad context', async () => {
    expect((await problem((c) => (c.ca = '%%%'))).problems[0]).toBe('Context "c": "ca" is not valid base64.');
    expect((await problem((c) => (c.crt = c.key as string))).problems[0]).toMatch(
      /"crt" holds a private key\. A private key belongs only in "key"/,
    );
    expect((await problem((c) => (c.key = c.crt as string))).problems[0]).toMatch(/"key" must be exactly one private key PEM/);
    const other = await issueClientCert(await createCa(), ['os:admin']);
    expect((await problem((c) => (c.key = b64(other.keyPem)))).problems[0]).toBe(
      'Context "c": the private key does not belong to the client certificate.',
    );
    expect(
      (
        await problem((c) => {
          c.crt = b64(other.certPem);
          c.key = b64(other.keyPem);
        })
      ).problems[0],
    ).toBe(`Context "c": the client certificate is not signed by the context's CA.`);
    const noEndpoints = await problem((c) => (c.endpoints = []));
    expect(noEndpoints.problems).toEqual([]);
    expect(noEndpoints.warnings[0]).toBe('Context "c" has no endpoints; add one before connecting.');
  });

  it('refuses expired, not-yet-valid and non-clientAuth certificates', async () => {
    const past = { notBefore: new Date(Date.now() - 10 * 864e5), notAfter: new Date(Date.now() - 864e5) };
    const future = { notBefore: new Date(Date.now() + 864e5), notAfter: new Date(Date.now() + 10 * 864e5) };
    const expired = parseTalosconfig((await makeTalosconfig([{ name: 'old', leaf: past }])).yaml).contexts[0]!;
    expect(expired.problems[0]).toMatch(/^Context "old": the client certificate expired on/);
    const early = parseTalosconfig((await makeTalosconfig([{ name: 'early', leaf: future }])).yaml).contexts[0]!;
    expect(early.problems[0]).toMatch(/^Context "early": the client certificate is not valid until/);
    const server = parseTalosconfig(
      (await makeTalosconfig([{ name: 'srv', leaf: { extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth] } }])).yaml,
    ).contexts[0]!;
    expect(server.problems[0]).toBe(
      'Context "srv": the client certificate lacks the clientAuth extended key usage, so Talos would refuse it.',
    );
  });

  it('renames clashes like talosctl config merge', () => {
    expect(uniqueName('admin@lab', new Set(['admin@lab', 'admin@lab-1']))).toBe('admin@lab-2');
    expect(uniqueName('new', new Set(['admin@lab']))).toBe('new');
  });
});
