import { OPENSSL_RECIPE, SHA256SUM_RECIPE } from '../bundles/manifest';

/** VERIFY.md: how an auditor checks the pack with stock tools, without Nodeglass. */
export function verifyInstructions(cluster: string, collectedAt: string, fingerprint: string): string {
  return `# Verifying this evidence pack

Cluster \`${cluster}\`, collected ${collectedAt}. Run these in the pack's folder (unzip it first).
Both commands must succeed; changing any byte of any file, or of the signature, makes one of them fail.

1. The manifest is signed by the Nodeglass signing key (OpenSSL 3.0 or newer, Ed25519):

   \`\`\`sh
   ${OPENSSL_RECIPE}
   \`\`\`

   It prints \`Signature Verified Successfully\`.

2. Every file matches the SHA-256 the signed manifest lists (GNU coreutils):

   \`\`\`sh
   ${SHA256SUM_RECIPE}
   \`\`\`

   Every line ends in \`OK\`. (The \`sed\` step only extracts the manifest's \`sha256sum\` lines.)

3. The signing key is the one registered with you. Its fingerprint is the SHA-256 of the public key (DER):

   \`\`\`sh
   openssl pkey -pubin -in signing-key.pub.pem -outform DER | sha256sum
   \`\`\`

   It must print \`${fingerprint}\`, the fingerprint Nodeglass shows on its Evidence screen.

With the Nodeglass source, \`npm run evidence:verify -- <this folder or its .zip>\` runs the same checks and
also reports files that are present but not listed in the manifest.

Contents: \`report.html\` (and \`report.pdf\`, printed from it), \`evidence.json\` (schema:
\`evidence.schema.json\`), \`controls.json\` (the controls mapping used), and per node under \`nodes/<ip>/\`
the redacted machine config and a CycloneDX 1.6 SBOM (\`sbom.cdx.json\`).
`;
}
