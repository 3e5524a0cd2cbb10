// Verifies a WaitingRoom pass with the npm "jose" library, as any third-party service would:
//   node verify-pass.mjs <jwks.json path> <token> <issuer> <audience> <now unix seconds>
// Prints one JSON line: {"ok":true,"payload":...,"protectedHeader":...} or {"ok":false,"code":...}.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';

const [, , jwksPath, token, issuer, audience, nowSeconds] = process.argv;
const jwks = createLocalJWKSet(JSON.parse(readFileSync(jwksPath, 'utf8')));
try {
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer,
    audience,
    algorithms: ['ES256'],
    currentDate: new Date(Number(nowSeconds) * 1000),
  });
  console.log(JSON.stringify({ ok: true, payload, protectedHeader }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: error.code ?? 'ERR', message: String(error.message) }));
}
