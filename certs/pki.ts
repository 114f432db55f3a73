import { KeyObject, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;
type EcKeyGenParams = webcrypto.EcKeyGenParams;
type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
import { toPem } from './pem';
import { x509 } from './x509-provider';

export type KeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface Minted {
  certPem: string;
  /** The key as Talos writes it: Ed25519 as PKCS#8 under `ED25519 PRIVATE KEY`, ECDSA as SEC1, RSA as PKCS#1. */
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

const ALGORITHMS: Record<KeyType, { gen: EcKeyGenParams | RsaHashedKeyGenParams | Algorithm; sign: Algorithm | EcdsaParams }> = {
  ed25519: { gen: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  ecdsa: { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams },
  rsa: {
    gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
  },
};

const DAY = 86_400_000;

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function generate(type: KeyType): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHMS[type].gen, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyPem(type: KeyType, keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  if (type === 'ed25519') return toPem('ED25519 PRIVATE KEY', pkcs8);
  const key: KeyObject = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  return key.export({ format: 'pem', type: type === 'ecdsa' ? 'sec1' : 'pkcs1' }).toString();
}

export interface CaOptions {
  keyType?: KeyType;
  organization?: string;
  now?: Date;
  validityDays?: number;
}

/** An OS CA as Talos makes it: Ed25519, `O=talos`, CA, cert-sign + digital-signature, 10 years. */
export async function createCa(options: CaOptions = {}): Promise<Minted> {
  const type = options.keyType ?? 'ed25519';
  const keys = await generate(type);
  const now = options.now ?? new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `O=${options.organization ?? 'talos'}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY),
    signingAlgorithm: ALGORITHMS[type].sign,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  return { cert, certPem: cert.toString('pem') + '\n', keyPem: await keyPem(type, keys), keys };
}

export interface LeafOptions {
  keyType?: KeyType;
  notBefore?: Date;
  notAfter?: Date;
  extendedKeyUsages?: string[];
}

async function issue(ca: Minted, subject: string, caType: KeyType, options: LeafOptions, extra: x509.Extension[]): Promise<Minted> {
  const type = options.keyType ?? 'ed25519';
  const keys = await generate(type);
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore,
    notAfter: options.notAfter ?? new Date(notBefore.getTime() + 365 * DAY),
    signingAlgorithm: ALGORITHMS[caType].sign,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ...(options.extendedKeyUsages?.length === 0 ? [] : [new x509.ExtendedKeyUsageExtension(options.extendedKeyUsages ?? [])]),
      ...extra,
    ],
  });
  return { cert, certPem: cert.toString('pem') + '\n', keyPem: await keyPem(type, keys), keys };
}

/** A client certificate like talosctl's: roles in Subject O, EKU clientAuth only. */
export function issueClientCert(ca: Minted, roles: string[], options: LeafOptions = {}, caType: KeyType = 'ed25519'): Promise<Minted> {
  const subject = roles.length ? roles.map((r) => `O=${r}`).join(', ') : 'O=';
  return issue(ca, roles.length ? subject : '', caType, { extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth], ...options }, []);
}

/** An apid server certificate: EKU serverAuth and SANs for loopback names. */
export function issueServerCert(
  ca: Minted,
  commonName: string,
  ips: string[],
  dnsNames: string[],
  options: LeafOptions = {},
): Promise<Minted> {
  const names = [...ips.map((value) => ({ type: 'ip' as const, value })), ...dnsNames.map((value) => ({ type: 'dns' as const, value }))];
  return issue(ca, `CN=${commonName}`, 'ed25519', { extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth], ...options }, [
    new x509.SubjectAlternativeNameExtension(names),
  ]);
}
