// npm run evidence:verify -- PACK [--key FINGERPRINT]
// Checks an evidence pack (folder or .zip) as VERIFY.md does with openssl and sha256sum; exit 0 only when it verifies.
import { readBundle, verifyBundle } from '../electron/services/bundles/verify-bundle';

const args = process.argv.slice(2);
const keyAt = args.indexOf('--key');
const trusted = keyAt >= 0 ? args[keyAt + 1] : undefined;
const target = args.find((a, i) => !a.startsWith('--') && i !== keyAt + 1);
if (!target) {
  console.error('usage: npm run evidence:verify -- <pack folder or .zip> [--key <registered fingerprint>]');
  process.exit(2);
}

try {
  const result = verifyBundle(await readBundle(target), trusted);
  console.log(`signing key fingerprint: ${result.fingerprint ?? 'unknown'}`);
  console.log(`signature: ${result.signature}; files checked: ${result.checked}`);
  for (const p of result.problems) console.log(`FAILED: ${p}`);
  console.log(result.ok ? 'VERIFIED' : 'NOT VERIFIED');
  process.exit(result.ok ? 0 : 1);
} catch (error) {
  console.error(`Cannot read ${target}: ${(error as Error).message}`);
  process.exit(2);
}
