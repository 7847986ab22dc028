/**
 * Authorizer throughput (figure P1): the whole built handler (dist/apps/authorizer/main.js,
 * event and Lambda context in, policy out, JWKS cached) against node's raw crypto.verify for
 * RS256 on the same key, both over the same set of distinct tokens, in the same run.
 * A benchmark, not a test: it prints figures and asserts nothing (it stops only if the
 * handler does not allow the tokens it is benchmarked on).
 *
 * The handler runs as it is deployed (infra: nodejs22.x, active tracing, POWERTOOLS_LOG_LEVEL
 * INFO, POWERTOOLS_TRACE_ENABLED not set), so what the Tracer costs in AWS is in the figure:
 * - Powertools enables the Tracer only when AWS_EXECUTION_ENV is set: outside Lambda it is
 *   off, whatever POWERTOOLS_TRACE_ENABLED says. The X-Ray SDK installs its cls-hooked async
 *   hook whenever it is loaded, but only in Lambda (LAMBDA_TASK_ROOT set at load) does it
 *   enter a context that the hook then carries to every promise; and only there does it send
 *   each sampled subsegment through a UDP socket it creates for the purpose. Both variables
 *   are set here, as the Lambda runtime sets them, and AWS_LAMBDA_INITIALIZATION_TYPE too.
 * - The runtime gives every invocation its own _X_AMZN_TRACE_ID and Lambda context, and the
 *   event parsed from JSON; so does this benchmark. X-Ray's default sampling rule traces
 *   about 5% of the requests of a busy API (one a second, then 5%): the handler is measured
 *   with no request sampled and with 1 in 20 sampled, whose subsegments go to an X-Ray
 *   daemon address, a UDP socket of this process on 127.0.0.1.
 * - Log lines go to a counting sink instead of the terminal: their formatting is measured,
 *   the pipe write is not (so the figure is, if anything, kind to a handler that logs).
 *
 * Raw verification and the handler are measured in alternating slices (BENCH_PAIRS rounds of
 * BENCH_SLICE_MS each), as operations per second of the process's CPU time, and P1 is the
 * median of the slices' ratios to the raw slice of their round: on a machine shared with
 * other work, CPU time does not count the time the process waits for a core, and slices next
 * to each other see about the same machine. The wall-clock ratio is printed beside it. The
 * handler is measured twice per round: with no request sampled by X-Ray, and with 1 in
 * BENCH_SAMPLED_EVERY sampled (default 20).
 *
 *   npx nx run benchmarks:authorizer            (builds the authorizer first)
 *   BENCH_PAIRS=30 BENCH_SLICE_MS=500 BENCH_TOKENS=2000 npx nx run benchmarks:authorizer
 *   BENCH_SAMPLED_EVERY=1 …                     (the second series samples every request)
 *   BENCH_BUNDLE=path/to/other/main.js …        (another build of the authorizer, to compare)
 */
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type Handler = (event: unknown, context: unknown) => Promise<{ principalId: string }>;

const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 15);
const SLICE_MS = Number(process.env['BENCH_SLICE_MS'] ?? 300);
const TOKENS = Number(process.env['BENCH_TOKENS'] ?? 1000);
/** 1 in SAMPLED_EVERY requests is sampled (X-Ray's default rule under load: 5%); 0 samples none. */
const SAMPLED_EVERY = Number(process.env['BENCH_SAMPLED_EVERY'] ?? 20);
const root = path.resolve(import.meta.dirname, '../../..');
const bundle = path.resolve(root, process.env['BENCH_BUNDLE'] ?? 'dist/apps/authorizer/main.js');
const pool = 'eu-west-1_Bench';
const clientId = 'bench-client';
const functionName = 'serverless-orders-authorizer';

const b64 = (value: string | Buffer) => (typeof value === 'string' ? Buffer.from(value) : value).toString('base64url');
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Runs `op(i)` for i = start, start + 1, … for `ms` milliseconds; returns operations per
 * second of CPU time (process.cpuUsage: user + system, every thread of the process, the
 * garbage collector's included) and of wall time, and the next i. Synchronous ops are not
 * awaited. Every 50 operations the event loop gets a turn, as it does between two
 * invocations in Lambda (the runtime polls for the next event), so pending I/O (the X-Ray
 * daemon's datagrams) goes out inside the measured time.
 */
async function throughput(
  op: (i: number) => unknown,
  isAsync: boolean,
  ms: number,
  start: number,
): Promise<{ cpuRate: number; wallRate: number; next: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  let n = 0;
  while (performance.now() < deadline) {
    if (isAsync) for (let k = 0; k < 50; k += 1) await op(start + n + k);
    else for (let k = 0; k < 50; k += 1) op(start + n + k);
    n += 50;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { cpuRate: n / ((used.user + used.system) / 1e6), wallRate: n / wallSeconds, next: start + n };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  // The key and its JWKS on loopback.
  const kid = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // The X-Ray daemon: a UDP socket that counts the segment documents it receives.
  let segmentsSent = 0;
  const daemon = createSocket('udp4');
  daemon.on('message', () => (segmentsSent += 1));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  const daemonPort = daemon.address().port;

  // Distinct Cognito-shaped ID tokens, each with its own request: event, context, trace header.
  const now = Math.floor(Date.now() / 1000);
  const header = b64(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }));
  const requests = Array.from({ length: TOKENS }, (_, i) => {
    const claims = {
      sub: randomUUID(),
      iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`,
      aud: clientId,
      token_use: 'id',
      'cognito:username': `bench-${i}`,
      email: `bench-${i}@example.com`,
      email_verified: true,
      'cognito:groups': ['customers'],
      event_id: randomUUID(),
      origin_jti: randomUUID(),
      jti: randomUUID(),
      auth_time: now,
      iat: now,
      exp: now + 3600,
    };
    const signingInput = `${header}.${b64(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), privateKey);
    const requestId = randomUUID();
    // The headers API Gateway (REST, edge-optimized) hands a REQUEST authorizer.
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Encoding': 'gzip, deflate, br',
      Authorization: `Bearer ${signingInput}.${b64(signature)}`,
      'CloudFront-Forwarded-Proto': 'https',
      'CloudFront-Is-Desktop-Viewer': 'true',
      'CloudFront-Is-Mobile-Viewer': 'false',
      'CloudFront-Is-SmartTV-Viewer': 'false',
      'CloudFront-Is-Tablet-Viewer': 'false',
      'CloudFront-Viewer-ASN': '16509',
      'CloudFront-Viewer-Country': 'IE',
      Host: 'bench01.execute-api.eu-west-1.amazonaws.com',
      'User-Agent': 'orders-cli/0.1.0 node/22',
      Via: `2.0 ${hex(16)}.cloudfront.net (CloudFront)`,
      'X-Amz-Cf-Id': b64(randomBytes(42)),
      'X-Amzn-Trace-Id': `Root=1-${hex(4)}-${hex(12)}`,
      'X-Forwarded-For': '203.0.113.7, 130.176.212.8',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    };
    const event = {
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:bench01/dev/GET/orders',
      resource: '/orders',
      path: '/orders',
      httpMethod: 'GET',
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      requestContext: {
        resourceId: 'abc123',
        resourcePath: '/orders',
        httpMethod: 'GET',
        extendedRequestId: `${hex(8)}=`,
        requestTime: '01/Jan/2026:12:00:00 +0000',
        path: '/dev/orders',
        accountId: '123456789012',
        protocol: 'HTTP/1.1',
        stage: 'dev',
        domainPrefix: 'bench01',
        requestTimeEpoch: Date.now(),
        requestId,
        identity: { sourceIp: '203.0.113.7', userAgent: 'orders-cli/0.1.0 node/22' },
        domainName: 'bench01.execute-api.eu-west-1.amazonaws.com',
        apiId: 'bench01',
      },
    };
    return {
      sub: claims.sub,
      data: Buffer.from(signingInput),
      signature,
      event: JSON.parse(JSON.stringify(event)) as unknown, // as the runtime hands it over: parsed from JSON
      context: {
        awsRequestId: randomUUID(),
        functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
        memoryLimitInMB: '256',
        logGroupName: `/aws/lambda/${functionName}`,
        logStreamName: '2026/01/01/[$LATEST]bench',
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => 10_000,
      },
      // The trace header of the request when X-Ray samples none, and when it samples 1 in SAMPLED_EVERY.
      trace: [false, SAMPLED_EVERY > 0 && i % SAMPLED_EVERY === 0].map(
        (sampled) => `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex(12)};Parent=${hex(8)};Sampled=${sampled ? 1 : 0}`,
      ),
    };
  });

  // Log lines are counted, not printed (see above); the benchmark's own lines use stderr.
  let linesWritten = 0;
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    linesWritten += 1;
    return chunk.length >= 0;
  }) as typeof process.stdout.write;
  const report = (line = '') => process.stderr.write(`${line}\n`);

  // The built bundle, configured as deployed except for where the keys come from, and with
  // the variables the Lambda runtime sets.
  Object.assign(process.env, {
    AUTH_SCHEME: 'cognito',
    COGNITO_USER_POOL_ID: pool,
    COGNITO_CLIENT_ID: clientId,
    COGNITO_JWKS_URI: `http://127.0.0.1:${port}/${pool}/.well-known/jwks.json`,
    POWERTOOLS_SERVICE_NAME: 'authorizer',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_REGION: 'eu-west-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    LAMBDA_TASK_ROOT: path.dirname(bundle),
    _HANDLER: 'main.handler',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemonPort}`,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _X_AMZN_TRACE_ID: requests[0].trace[0],
  });
  delete process.env['POWERTOOLS_TRACE_ENABLED'];
  const { handler } = createRequire(import.meta.url)(bundle) as { handler: Handler };
  let invocations = 0;
  /** Invokes the handler with request i; `sampling` 0: no request sampled, 1: 1 in SAMPLED_EVERY. */
  const invoker = (sampling: 0 | 1) => (i: number) => {
    invocations += 1;
    const request = requests[i % TOKENS];
    process.env['_X_AMZN_TRACE_ID'] = request.trace[sampling]; // as the runtime does before each invocation
    return handler(request.event, request.context);
  };
  // Cold: downloads the JWKS once. Then every token must be allowed.
  for (let i = 0; i < TOKENS; i += 1) {
    const answer = await invoker(1)(i);
    if (answer.principalId !== requests[i].sub) throw new Error('the handler did not allow a benchmark token');
  }
  for (let i = 0; i < 2_000; i += 1) await invoker((i % 2) as 0 | 1)(i); // warm up
  // The X-Ray SDK creates its context namespace when loaded, anywhere; in Lambda it also enters
  // a context at load, and from then on its async hook carries that context to every promise.
  const xrayContext = (process as unknown as { namespaces?: Record<string, { active?: unknown }> }).namespaces?.['AWSXRay']?.active != null;

  // Raw crypto on the same key and the same tokens: a KeyObject made once, as the verifier caches it.
  const key: KeyObject = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
  const rawVerify = (i: number) => {
    const request = requests[i % TOKENS];
    if (!verify('sha256', request.data, key, request.signature)) throw new Error('raw verify failed');
  };
  for (let i = 0; i < 2_000; i += 1) rawVerify(i);

  // Three series in turn, slice after slice: raw verification, the handler with no request
  // sampled, the handler with 1 in SAMPLED_EVERY sampled.
  const series = [
    { name: 'unsampled', op: invoker(0), next: 0, rates: [] as number[], ratios: [] as number[], wallRatios: [] as number[], calls: 0, lines: 0, segments: 0 },
    { name: 'sampled', op: invoker(1), next: 0, rates: [] as number[], ratios: [] as number[], wallRatios: [] as number[], calls: 0, lines: 0, segments: 0 },
  ];
  const rawRates: number[] = [];
  let nextRaw = 0;
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const raw = await throughput(rawVerify, false, SLICE_MS, nextRaw);
    nextRaw = raw.next;
    rawRates.push(raw.cpuRate);
    for (const s of series) {
      const [calls, lines, segments] = [invocations, linesWritten, segmentsSent];
      const measured = await throughput(s.op, true, SLICE_MS, s.next);
      await new Promise((resolve) => setTimeout(resolve, 5)); // this slice's datagrams arrive
      s.next = measured.next;
      s.rates.push(measured.cpuRate);
      s.ratios.push(measured.cpuRate / raw.cpuRate);
      s.wallRatios.push(measured.wallRate / raw.wallRate);
      s.calls += invocations - calls;
      s.lines += linesWritten - lines;
      s.segments += segmentsSent - segments;
    }
  }
  server.close();
  daemon.close();
  process.stdout.write = stdoutWrite;

  const raw = median(rawRates);
  const quartiles = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${sorted[Math.floor(sorted.length / 4)].toFixed(2)}–${sorted[Math.floor((3 * sorted.length) / 4)].toFixed(2)}`;
  };
  const size = statSync(bundle).size;
  report('');
  report(
    `authorizer benchmark (node ${process.version}, RS256 2048-bit, ${TOKENS} distinct tokens, ${PAIRS} rounds of ${SLICE_MS} ms slices, medians)`,
  );
  report(`  raw crypto.verify RS256, same key, same tokens: ${fmt(raw)} ops/CPU-s  (${(1e6 / raw).toFixed(1)} µs of CPU per call)`);
  report(`  authorizer handler, warm (event → policy, JWKS cached), tracing ${xrayContext ? 'on as deployed (X-Ray SDK in Lambda mode)' : 'OFF'}:`);
  for (const s of series) {
    const h = median(s.rates);
    const label = s.name === 'unsampled' ? 'no request sampled' : SAMPLED_EVERY > 0 ? `1 in ${SAMPLED_EVERY} sampled` : 'no request sampled';
    report(`    ${label.padEnd(20)} ${fmt(h)} ops/CPU-s  (${(1e6 / h).toFixed(1)} µs of CPU per call, ${(1e6 / h - 1e6 / raw).toFixed(1)} over raw verify)`);
    report(
      `    ${''.padEnd(20)} P1 = ${median(s.ratios).toFixed(2)}  (quartiles ${quartiles(s.ratios)}; wall-clock ${median(s.wallRatios).toFixed(2)}); ` +
        `${(s.segments / Math.max(s.calls, 1)).toFixed(3)} segments and ${(s.lines / Math.max(s.calls, 1)).toFixed(2)} log lines per call`,
    );
  }
  report(`  bundle ${path.relative(root, bundle)}: ${(size / 1024).toFixed(1)} KiB minified, ${(gzipSync(readFileSync(bundle)).length / 1024).toFixed(1)} KiB gzipped`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
