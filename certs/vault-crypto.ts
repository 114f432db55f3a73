import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { AppError } from '../shared/errors';

export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

/** AES-256-GCM; `aad` is authenticated with the ciphertext, so a blob only opens in the context it was sealed for. */
export function seal(key: Buffer, plaintext: Buffer, aad?: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Throws when the key, the ciphertext or the associated data do not match what was sealed. */
export function unseal(key: Buffer, sealed: Sealed, aad?: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  if (aad) decipher.setAAD(aad);
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

/** scrypt cost for new vaults: N = 2^17 (128 MiB with r = 8), OWASP's recommendation. */
export const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
/** What a stored vault may ask for: below, the file was weakened; above, it would exhaust memory or time. */
export const SCRYPT_BOUNDS = { minN: 2 ** 14, maxN: 2 ** 20, minR: 8, maxR: 16, minP: 1, maxP: 4, minSalt: 16, maxSalt: 64 } as const;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;

/** Checks stored scrypt parameters before running scrypt with them; out-of-range values mean a damaged or edited file. */
export function checkScryptParams(params: Partial<ScryptParams>, salt: Buffer): ScryptParams {
  const { N, r, p } = params;
  const b = SCRYPT_BOUNDS;
  const problems: string[] = [];
  if (typeof N !== 'number' || !isPowerOfTwo(N) || N < b.minN || N > b.maxN)
    problems.push(`N=${String(N)} (expected a power of two from 2^14 to 2^20)`);
  if (typeof r !== 'number' || !Number.isInteger(r) || r < b.minR || r > b.maxR)
    problems.push(`r=${String(r)} (expected ${b.minR}–${b.maxR})`);
  if (typeof p !== 'number' || !Number.isInteger(p) || p < b.minP || p > b.maxP)
    problems.push(`p=${String(p)} (expected ${b.minP}–${b.maxP})`);
  if (salt.length < b.minSalt || salt.length > b.maxSalt)
    problems.push(`a salt of ${salt.length} bytes (expected ${b.minSalt}–${b.maxSalt})`);
  if (problems.length)
    throw new AppError(
      'VAULT_CORRUPT',
      `The vault's key-derivation settings are out of range: ${problems.join(', ')}. The file was damaged or edited; restore it from a backup or start a new vault.`,
    );
  return { N: N!, r: r!, p: p! };
}

export function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password, salt, 32, options, (e, key) => (e ? reject(e) : resolve(key))));
}
