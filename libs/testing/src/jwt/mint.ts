import { createHmac, sign } from 'node:crypto';
import type { SigningKey } from './keys';

export type JsonObject = Record<string, unknown>;

export function base64url(input: string | Buffer): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : input).toString('base64url');
}

/** header.payload.signature from parts already chosen (for crafting broken tokens). */
export function encodeJwt(header: unknown, payload: unknown, signature: string | Buffer = ''): string {
  const sig = typeof signature === 'string' ? signature : base64url(signature);
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${sig}`;
}

/** The JWS signature of `signingInput` with `key` (ES256 in the JOSE r||s form). */
export function signatureOf(key: SigningKey, signingInput: string): Buffer {
  return key.alg === 'RS256'
    ? sign('sha256', Buffer.from(signingInput), key.privateKey)
    : sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
}

/** A real JWT signed with `key`; header fields may be overridden (alg, kid, typ, …). */
export function mintJwt(key: SigningKey, payload: JsonObject, header: JsonObject = {}): string {
  const head = { alg: key.alg, kid: key.kid, typ: 'JWT', ...header };
  const signingInput = `${base64url(JSON.stringify(head))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64url(signatureOf(key, signingInput))}`;
}

/** An HS256 token whose HMAC secret is `secret` (the "public key as HMAC secret" attack). */
export function mintHs256(secret: string | Buffer, payload: JsonObject, header: JsonObject = {}): string {
  const head = { alg: 'HS256', typ: 'JWT', ...header };
  const signingInput = `${base64url(JSON.stringify(head))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64url(createHmac('sha256', secret).update(signingInput).digest())}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export interface CognitoClaimsInput {
  issuer: string;
  clientId: string;
  tokenUse: 'id' | 'access';
  sub?: string;
  username?: string;
  email?: string;
  groups?: string[];
  /** Lifetime in seconds from now (negative: already expired). */
  ttl?: number;
  extra?: JsonObject;
}

/** Claims shaped like a Cognito user pool's ID or access token. */
export function cognitoClaims(input: CognitoClaimsInput): JsonObject {
  const iat = nowSeconds();
  const common: JsonObject = {
    sub: input.sub ?? 'a1b2c3d4-0000-4000-8000-000000000001',
    iss: input.issuer,
    token_use: input.tokenUse,
    auth_time: iat,
    iat,
    exp: iat + (input.ttl ?? 3600),
    jti: `jti-${iat}-${Math.random().toString(36).slice(2)}`,
    ...(input.groups ? { 'cognito:groups': input.groups } : {}),
  };
  const claims =
    input.tokenUse === 'id'
      ? {
          ...common,
          aud: input.clientId,
          'cognito:username': input.username ?? 'ana',
          email: input.email ?? 'ana@example.com',
          email_verified: true,
        }
      : { ...common, client_id: input.clientId, username: input.username ?? 'ana', scope: 'aws.cognito.signin.user.admin' };
  return { ...claims, ...input.extra };
}
