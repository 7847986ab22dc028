/**
 * Authorizer throughput: the whole built handler (dist/apps/authorizer/main.js, event in,
 * policy out, JWKS cached) against node's raw crypto.verify for RS256 on the same key.
 * A benchmark, not a test: it prints figures and asserts only that the handler allows.
 *
 *   npx nx run benchmarks:authorizer            (builds the authorizer first)
 *   BENCH_SECONDS=5 npx nx run benchmarks:authorizer
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { statSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type Handler = (event: unknown) => Promise<{ principalId: string }>;

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
const ROUNDS = 3;
const root = path.resolve(import.meta.dirname, '../../..');
const bundle = path.join(root, 'dist/apps/authorizer/main.js');
const pool = 'eu-west-1_Bench';
const clientId = 'bench-client';

const b64 = (value: string | Buffer) => (typeof value === 'string' ? Buffer.from(value) : value).toString('base64url');

/** Runs `op` repeatedly for SECONDS; returns operations per second. */
async function throughput(op: () => unknown): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let n = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 50; i += 1) await op();
    n += 50;
  }
  return n / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  // The key, its JWKS on loopback, and a real Cognito-shaped ID token.
  const kid = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: randomUUID(),
    iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`,
    aud: clientId,
    token_use: 'id',
    'cognito:username': 'bench',
    email: 'bench@example.com',
    'cognito:groups': ['customers'],
    auth_time: now,
    iat: now,
    exp: now + 3600,
  };
  const signingInput = `${b64(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey);
  const token = `${signingInput}.${b64(signature)}`;
  const event = {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:bench01/dev/GET/orders',
    headers: { Authorization: `Bearer ${token}` },
    requestContext: { requestId: 'bench' },
  };

  // The built bundle, configured as in AWS except for where the keys come from.
  Object.assign(process.env, {
    AUTH_SCHEME: 'cognito',
    COGNITO_USER_POOL_ID: pool,
    COGNITO_CLIENT_ID: clientId,
    COGNITO_JWKS_URI: `http://127.0.0.1:${port}/${pool}/.well-known/jwks.json`,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  const { handler } = createRequire(import.meta.url)(bundle) as { handler: Handler };
  const first = await handler(event); // cold: downloads the JWKS once
  if (first.principalId !== claims.sub) throw new Error('the handler did not allow the benchmark token');
  for (let i = 0; i < 2_000; i += 1) await handler(event); // warm up

  // Raw crypto on the same key: a KeyObject made once, as the verifier caches it.
  const key: KeyObject = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
  const data = Buffer.from(signingInput);
  const rawVerify = () => {
    if (!verify('sha256', data, key, signature)) throw new Error('raw verify failed');
  };
  for (let i = 0; i < 2_000; i += 1) rawVerify();

  const handlerRuns: number[] = [];
  const rawRuns: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    handlerRuns.push(await throughput(() => handler(event)));
    rawRuns.push(await throughput(rawVerify));
  }
  server.close();

  const h = median(handlerRuns);
  const raw = median(rawRuns);
  const size = statSync(bundle).size;
  console.log('');
  console.log(`authorizer benchmark (node ${process.version}, RS256 2048-bit, ${ROUNDS} rounds of ${SECONDS}s, median)`);
  console.log(`  authorizer handler, warm (event → policy, JWKS cached): ${fmt(h)} ops/s  (${(1e6 / h).toFixed(1)} µs/op)`);
  console.log(`  raw crypto.verify RS256, same key:                     ${fmt(raw)} ops/s  (${(1e6 / raw).toFixed(1)} µs/op)`);
  console.log(`  ratio handler / raw verify:                            ${(h / raw).toFixed(2)}  (handler overhead ${(1e6 / h - 1e6 / raw).toFixed(1)} µs/op)`);
  console.log(`  bundle dist/apps/authorizer/main.js: ${(size / 1024).toFixed(1)} KiB minified, ${(gzipSync(readFileSync(bundle)).length / 1024).toFixed(1)} KiB gzipped`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
