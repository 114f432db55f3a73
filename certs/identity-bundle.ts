import { randomBytes } from 'node:crypto';
import type { IdentityColour, MintRecord } from '../shared/domain/identity';
import { AppError } from '../shared/errors';
import { checkScryptParams, SCRYPT, scrypt, seal, unseal, type ScryptParams, type Sealed } from './vault-crypto';

const FORMAT = 'nodeglass-identity-bundle';
const VERSION = 1;
/** Handing a key to someone else deserves more than the vault's minimum. */
export const MIN_BUNDLE_PASSPHRASE = 12;
export const MAX_BUNDLE_BYTES = 1_048_576;

/** One identity as a bundle carries it: what another Nodeglass needs to use it, marks included. */
export interface BundleEntry {
  name: string;
  cluster: string;
  context: string;
  endpoints: string[];
  nodes: string[];
  caPem: string;
  certPem: string;
  keyPem: string;
  label: string | null;
  colour: IdentityColour | null;
  readOnly: boolean;
  minted: MintRecord | null;
}

interface BundleHeader {
  format: typeof FORMAT;
  version: typeof VERSION;
  kdf: { name: 'scrypt'; salt: string } & ScryptParams;
  cipher: 'aes-256-gcm';
}

type BundleFile = BundleHeader & { sealed: Sealed };

/** The header is authenticated with the ciphertext: a bundle whose cost or salt was edited does not open. */
const headerBytes = (h: BundleHeader) =>
  Buffer.from(JSON.stringify({ format: h.format, version: h.version, kdf: h.kdf, cipher: h.cipher }));

/**
 * One file holding identities for another Nodeglass: scrypt derives a key from the passphrase, AES-256-GCM seals the
 * identities (keys included). The passphrase is not stored anywhere; without it the file is opaque.
 */
export async function sealBundle(entries: BundleEntry[], passphrase: string, cost: ScryptParams = SCRYPT): Promise<string> {
  if (passphrase.length < MIN_BUNDLE_PASSPHRASE)
    throw new AppError(
      'INVALID_ARGUMENT',
      `Use a passphrase of at least ${MIN_BUNDLE_PASSPHRASE} characters for a bundle that holds keys.`,
    );
  const salt = randomBytes(16);
  const header: BundleHeader = {
    format: FORMAT,
    version: VERSION,
    kdf: { name: 'scrypt', salt: salt.toString('base64'), ...cost },
    cipher: 'aes-256-gcm',
  };
  const key = await scrypt(passphrase, salt, cost);
  const plaintext = Buffer.from(JSON.stringify({ identities: entries }));
  try {
    return JSON.stringify({ ...header, sealed: seal(key, plaintext, headerBytes(header)) } satisfies BundleFile, null, 1) + '\n';
  } finally {
    key.fill(0);
    plaintext.fill(0);
  }
}

const NOT_A_BUNDLE = 'This file is not a Nodeglass identity bundle (export one with "Export… → encrypted bundle").';

/** Opens a bundle; a wrong passphrase and an edited file are the same failure to AES-GCM, and say so. */
export async function openBundle(text: string, passphrase: string): Promise<BundleEntry[]> {
  if (Buffer.byteLength(text) > MAX_BUNDLE_BYTES) throw new AppError('TOO_LARGE', 'The file is larger than 1 MiB; a bundle is a few KiB.');
  let file: Partial<BundleFile>;
  try {
    file = JSON.parse(text) as Partial<BundleFile>;
  } catch {
    throw new AppError('IDENTITY_INVALID', NOT_A_BUNDLE);
  }
  if (file?.format !== FORMAT || !file.kdf || file.kdf.name !== 'scrypt' || file.cipher !== 'aes-256-gcm' || !file.sealed)
    throw new AppError('IDENTITY_INVALID', NOT_A_BUNDLE);
  if (file.version !== VERSION)
    throw new AppError(
      'IDENTITY_INVALID',
      `This bundle has format version ${String(file.version)}; this Nodeglass reads version ${VERSION}.`,
    );
  const salt = Buffer.from(String(file.kdf.salt), 'base64');
  let cost: ScryptParams;
  try {
    cost = checkScryptParams(file.kdf, salt);
  } catch (error) {
    throw new AppError(
      'IDENTITY_INVALID',
      `The bundle's key-derivation settings are out of range, so it was not opened: ${(error as Error).message}`,
    );
  }
  const key = await scrypt(passphrase, salt, cost);
  let plaintext: Buffer;
  try {
    plaintext = unseal(key, file.sealed, headerBytes(file as BundleHeader));
  } catch {
    throw new AppError(
      'VAULT_WRONG_PASSPHRASE',
      'That passphrase does not open this bundle, or the file was changed after it was exported.',
    );
  } finally {
    key.fill(0);
  }
  try {
    const { identities } = JSON.parse(plaintext.toString('utf8')) as { identities?: BundleEntry[] };
    if (!Array.isArray(identities) || identities.length === 0) throw new Error('no identities');
    return identities;
  } catch {
    throw new AppError('IDENTITY_INVALID', 'The bundle opened but holds no identities Nodeglass can read.');
  } finally {
    plaintext.fill(0);
  }
}
