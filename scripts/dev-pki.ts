// Development PKI: a SoftHSM2 token in <dir> with a key and certificate for every seeded clerk and agency
// official (labelled with their username, as users.signingKeyLabel says, so pdfsig shows the signer's own
// name), the test CA that issued them and an NSS db (for `pdfsig -nssdir`) that trusts the CA. Idempotent.
//   node --import tsx scripts/dev-pki.ts <dir>
import { resolve } from 'node:path';
import { seededSigners } from '../server/src/seed/signing-keys';
import { closeTokens, setupDevPki } from '../server/src/signing';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node --import tsx scripts/dev-pki.ts <dir>\n');
  process.exit(2);
}

const pki = await setupDevPki({ dir: resolve(dir), clerks: seededSigners() });
closeTokens();
const lines = Object.entries(pki.env).map(([key, value]) => `export ${key}='${value}'`);
process.stdout.write(
  [
    `# SoftHSM2 token "${pki.tokenLabel}" in ${pki.dir}`,
    ...pki.clerks.map((c) => `#   key "${c.keyLabel}": ${c.fullName}, ${c.office}`),
    `# test CA: ${pki.caCertPath}`,
    `# check a signed PDF: pdfsig -nssdir sql:${pki.nssDir} signed.pdf`,
    ...lines,
    '',
  ].join('\n'),
);
