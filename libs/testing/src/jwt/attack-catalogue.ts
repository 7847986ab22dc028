import type { VerificationFailureReason } from '@serverless-orders/auth-domain';
import type { JwksBehaviour, JwksServer } from './jwks-server';
import { createSigningKey, type SigningKey } from './keys';
import { base64url, cognitoClaims, encodeJwt, mintHs256, mintJwt, nowSeconds, signatureOf, type JsonObject } from './mint';

/** What an attack case needs: the trusted keys the JWKS serves and what a valid token looks like. */
export interface AttackContext {
  readonly issuer: string;
  readonly clientId: string;
  readonly tokenUse: 'id' | 'access';
  /** RS256 key served by the JWKS. */
  readonly rsa: SigningKey;
  /** ES256 key served by the JWKS. */
  readonly ec: SigningKey;
  readonly jwks: JwksServer;
}

export interface AttackCase {
  readonly name: string;
  /** The refusal reason the verifier must give (every case must be refused). */
  readonly expected: VerificationFailureReason;
  /** The Authorization header value the attacker sends (undefined: no header). */
  header(ctx: AttackContext): string | undefined;
  /**
   * More values of the identity header in the same request, each [name as spelled, value],
   * after `header` (sent as Authorization, its value passed as `first`): API Gateway hands a
   * REQUEST authorizer every one of them (multiValueHeaders).
   */
  readonly repeated?: (ctx: AttackContext, first: string) => ReadonlyArray<readonly [name: string, value: string]>;
  /** How the JWKS endpoint behaves while the case runs (cold start: the verifier is new). */
  readonly jwks?: JwksBehaviour;
  /**
   * Where the case applies when not to every JWT verifier and the handler:
   * - 'cognito': the refusal rests on a Cognito claim (token_use) other issuers need not have;
   * - 'handler': a property of the request (the header sent twice), which only the authorizer
   *   handler sees; a verifier is handed one token, and `header` alone is a valid one.
   */
  readonly only?: 'cognito' | 'handler';
}

// Keys no JWKS ever serves: the attacker's own.
let attackerKeys: { rsa: SigningKey; ec: SigningKey } | undefined;
const attacker = () => (attackerKeys ??= { rsa: createSigningKey('RS256', 'attacker-rsa'), ec: createSigningKey('ES256', 'attacker-ec') });

const claims = (ctx: AttackContext, extra: JsonObject = {}, ttl?: number): JsonObject => ({
  ...cognitoClaims({ issuer: ctx.issuer, clientId: ctx.clientId, tokenUse: ctx.tokenUse, groups: ['customers'], ttl }),
  ...extra,
});
/** A valid token of the context, optionally with claims changed. */
export const validToken = (ctx: AttackContext, extra: JsonObject = {}, key: SigningKey = ctx.rsa): string => mintJwt(key, claims(ctx, extra), {});
const without = (obj: JsonObject, ...names: string[]): JsonObject =>
  Object.fromEntries(Object.entries(obj).filter(([k]) => !names.includes(k)));
const bearer = (token: string) => `Bearer ${token}`;
const segments = (token: string) => token.split('.');
const YEAR = 365 * 86_400;

/**
 * At least 25 ways to present a bad token, each with the reason it must be refused for.
 * Run it against a verifier (header → extractToken → verify; see `only`) and against the
 * authorizer handler; nothing may be allowed and nothing may crash.
 */
export function attackCatalogue(): AttackCase[] {
  return [
    // Signature and algorithm attacks
    {
      name: 'alg none, no signature',
      expected: 'malformed',
      header: (c) => bearer(encodeJwt({ alg: 'none', kid: c.rsa.kid, typ: 'JWT' }, claims(c))),
    },
    {
      name: 'alg none with the original signature kept',
      expected: 'bad-signature',
      header: (c) => {
        const [, p, s] = segments(validToken(c));
        return bearer(`${base64url(JSON.stringify({ alg: 'none', kid: c.rsa.kid }))}.${p}.${s}`);
      },
    },
    {
      name: 'HS256 signed with the public key (PEM) as the HMAC secret',
      expected: 'bad-signature',
      header: (c) => bearer(mintHs256(c.rsa.publicKey.export({ type: 'spki', format: 'pem' }), claims(c), { kid: c.rsa.kid })),
    },
    {
      name: 'HS256 signed with the public JWK as the HMAC secret',
      expected: 'bad-signature',
      header: (c) => bearer(mintHs256(JSON.stringify(c.rsa.publicJwk), claims(c), { kid: c.rsa.kid })),
    },
    {
      name: 'ES256 header on the RSA key id',
      expected: 'bad-signature',
      header: (c) => bearer(mintJwt(attacker().ec, claims(c), { kid: c.rsa.kid })),
    },
    {
      name: 'unknown kid (the attacker\'s own key)',
      expected: 'unknown-key',
      header: (c) => bearer(mintJwt(attacker().rsa, claims(c))),
    },
    { name: 'no kid in the header', expected: 'unknown-key', header: (c) => bearer(mintJwt(c.rsa, claims(c), { kid: undefined })) },
    {
      name: 'trusted kid, signed by the attacker\'s key',
      expected: 'bad-signature',
      header: (c) => bearer(mintJwt(attacker().rsa, claims(c), { kid: c.rsa.kid })),
    },
    {
      name: 'tampered payload (sub changed after signing)',
      expected: 'bad-signature',
      header: (c) => {
        const [h, , s] = segments(validToken(c));
        return bearer(`${h}.${base64url(JSON.stringify(claims(c, { sub: 'someone-else' })))}.${s}`);
      },
    },
    {
      name: 'tampered payload on an ES256 token (groups widened)',
      expected: 'bad-signature',
      header: (c) => {
        const [h, , s] = segments(validToken(c, {}, c.ec));
        return bearer(`${h}.${base64url(JSON.stringify(claims(c, { 'cognito:groups': ['admins'] })))}.${s}`);
      },
    },
    {
      name: 'tampered signature (bytes flipped)',
      expected: 'bad-signature',
      header: (c) => {
        const [h, p, s] = segments(validToken(c));
        const sig = Buffer.from(s, 'base64url');
        sig[10] ^= 0xff;
        return bearer(`${h}.${p}.${base64url(sig)}`);
      },
    },
    {
      name: 'signature of another token',
      expected: 'bad-signature',
      header: (c) => {
        const [h, p] = segments(validToken(c, { sub: 'victim' }));
        const [, , s] = segments(validToken(c, { sub: 'attacker' }));
        return bearer(`${h}.${p}.${s}`);
      },
    },
    {
      name: 'signature with a stray character (lenient base64 decoders ignore it)',
      expected: 'malformed',
      header: (c) => {
        const [h, p, s] = segments(validToken(c));
        return bearer(`${h}.${p}.${s.slice(0, 20)}*${s.slice(20)}`);
      },
    },
    // Claims
    { name: 'expired', expected: 'expired', header: (c) => bearer(mintJwt(c.rsa, claims(c, {}, -120))) },
    { name: 'nbf in the future', expected: 'not-yet-valid', header: (c) => bearer(validToken(c, { nbf: nowSeconds() + 3600 })) },
    { name: 'no exp claim', expected: 'malformed', header: (c) => bearer(mintJwt(c.rsa, without(claims(c), 'exp'))) },
    { name: 'exp as a string', expected: 'malformed', header: (c) => bearer(validToken(c, { exp: String(nowSeconds() + 3600) })) },
    {
      name: 'wrong issuer (another pool)',
      expected: 'wrong-issuer',
      header: (c) => bearer(validToken(c, { iss: `${c.issuer.replace(/[^/]+$/, '')}eu-west-1_Other` })),
    },
    { name: 'no issuer', expected: 'wrong-issuer', header: (c) => bearer(mintJwt(c.rsa, without(claims(c), 'iss'))) },
    {
      name: 'wrong client id / audience',
      expected: 'wrong-audience',
      header: (c) => bearer(validToken(c, c.tokenUse === 'id' ? { aud: 'another-client' } : { client_id: 'another-client' })),
    },
    {
      name: 'id and access token swapped',
      expected: 'wrong-token-use',
      only: 'cognito',
      header: (c) =>
        bearer(
          mintJwt(
            c.rsa,
            cognitoClaims({ issuer: c.issuer, clientId: c.clientId, tokenUse: c.tokenUse === 'id' ? 'access' : 'id' }),
          ),
        ),
    },
    { name: 'no token_use', expected: 'wrong-token-use', only: 'cognito', header: (c) => bearer(mintJwt(c.rsa, without(claims(c), 'token_use'))) },
    { name: 'missing sub', expected: 'missing-subject', header: (c) => bearer(mintJwt(c.rsa, without(claims(c), 'sub'))) },
    { name: 'sub is a number', expected: 'malformed', header: (c) => bearer(validToken(c, { sub: 12345 })) },
    // Times: signed, current, and still not to be trusted
    {
      name: 'iat 10 years in the future',
      expected: 'not-yet-valid',
      header: (c) => bearer(validToken(c, { iat: nowSeconds() + 10 * YEAR, exp: nowSeconds() + 10 * YEAR + 3600 })),
    },
    {
      name: 'iat 2 minutes in the future (beyond the clock skew)',
      expected: 'not-yet-valid',
      header: (c) => bearer(validToken(c, { iat: nowSeconds() + 120 })),
    },
    {
      name: 'a lifetime of 10 years (exp − iat)',
      expected: 'lifetime-too-long',
      header: (c) => bearer(validToken(c, { exp: nowSeconds() + 10 * YEAR })),
    },
    {
      name: 'a lifetime of a day and a minute',
      expected: 'lifetime-too-long',
      header: (c) => bearer(validToken(c, { iat: nowSeconds(), exp: nowSeconds() + 86_460 })),
    },
    {
      name: 'issued 30 days ago, still valid for an hour',
      expected: 'lifetime-too-long',
      header: (c) => bearer(validToken(c, { iat: nowSeconds() - 30 * 86_400, auth_time: nowSeconds() - 30 * 86_400, exp: nowSeconds() + 3600 })),
    },
    {
      name: 'no iat, expiring in 10 years',
      expected: 'lifetime-too-long',
      header: (c) => bearer(mintJwt(c.rsa, { ...without(claims(c), 'iat'), exp: nowSeconds() + 10 * YEAR })),
    },
    // Header parameters that must be understood (RFC 7515 §4.1.11): none is
    {
      name: 'crit header naming an unknown extension',
      expected: 'critical-header',
      header: (c) => bearer(mintJwt(c.rsa, claims(c), { crit: ['https://attacker.example/ext'], 'https://attacker.example/ext': { bypass: true } })),
    },
    {
      name: 'crit header naming b64 (an unencoded payload, RFC 7797)',
      expected: 'critical-header',
      header: (c) => bearer(mintJwt(c.rsa, claims(c), { b64: false, crit: ['b64'] })),
    },
    {
      name: 'crit header on an ES256 token, as an empty list',
      expected: 'critical-header',
      header: (c) => bearer(mintJwt(c.ec, claims(c), { crit: [] })),
    },
    // Encoding and structure
    {
      name: 'malformed base64 in the header segment',
      expected: 'malformed',
      header: (c) => bearer(`%%%notbase64%%%.${segments(validToken(c))[1]}.${segments(validToken(c))[2]}`),
    },
    {
      name: 'payload is JSON but not an object',
      expected: 'malformed',
      header: (c) => {
        const h = base64url(JSON.stringify({ alg: 'RS256', kid: c.rsa.kid }));
        const p = base64url(JSON.stringify(['sub', 'admin']));
        return bearer(`${h}.${p}.${base64url(signatureOf(c.rsa, `${h}.${p}`))}`);
      },
    },
    {
      name: 'payload is not JSON at all',
      expected: 'malformed',
      header: (c) => {
        const h = base64url(JSON.stringify({ alg: 'RS256', kid: c.rsa.kid }));
        const p = base64url('sub=admin');
        return bearer(`${h}.${p}.${base64url(signatureOf(c.rsa, `${h}.${p}`))}`);
      },
    },
    { name: '3 segments of garbage', expected: 'malformed', header: () => bearer('abc.def.ghi') },
    { name: '2 segments (signature dropped)', expected: 'malformed', header: (c) => bearer(segments(validToken(c)).slice(0, 2).join('.')) },
    { name: '5 segments (JWE shape)', expected: 'malformed', header: (c) => bearer(`${validToken(c)}.AAAA.BBBB`) },
    { name: 'a 100 KB token', expected: 'malformed', header: (c) => bearer(validToken(c, { padding: 'x'.repeat(100 * 1024) })) },
    // Headers
    { name: 'no Authorization header', expected: 'missing', header: () => undefined },
    { name: 'an empty header', expected: 'missing', header: () => '' },
    { name: 'a whitespace-only header', expected: 'missing', header: () => '   \t ' },
    { name: '"Bearer" alone', expected: 'missing', header: () => 'Bearer' },
    { name: 'another scheme (Basic)', expected: 'malformed', header: () => 'Basic YWxpY2U6c2VjcmV0' },
    {
      name: 'Authorization sent twice: a valid token, then another caller\'s',
      expected: 'ambiguous-identity',
      only: 'handler',
      header: (c) => bearer(validToken(c, { sub: 'first-caller' })),
      repeated: (c) => [['Authorization', bearer(validToken(c, { sub: 'second-caller' }))]],
    },
    {
      name: 'Authorization and authorization, each with a valid token',
      expected: 'ambiguous-identity',
      only: 'handler',
      header: (c) => bearer(validToken(c, { sub: 'first-caller' })),
      repeated: (c) => [['authorization', validToken(c, { sub: 'second-caller' }, c.ec)]],
    },
    {
      name: 'the same valid token sent twice',
      expected: 'ambiguous-identity',
      only: 'handler',
      header: (c) => bearer(validToken(c, { sub: 'twice' })),
      repeated: (_, first) => [['Authorization', first]],
    },
    // The key source
    { name: 'JWKS endpoint down at cold start', expected: 'verifier-unavailable', jwks: { mode: 'down' }, header: (c) => bearer(validToken(c)) },
    {
      name: 'JWKS endpoint slow at cold start',
      expected: 'verifier-unavailable',
      jwks: { mode: 'slow', delayMs: 2_000 },
      header: (c) => bearer(validToken(c)),
    },
    {
      name: 'JWKS endpoint answering 503 at cold start',
      expected: 'verifier-unavailable',
      jwks: { mode: 'error', status: 503 },
      header: (c) => bearer(validToken(c)),
    },
  ];
}
