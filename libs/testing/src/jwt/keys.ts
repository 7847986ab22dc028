import { generateKeyPairSync, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';

export type SigningAlg = 'RS256' | 'ES256';

/** A public key as a JWKS publishes it. */
export type PublicJwk = JsonWebKey & { kid: string; alg: SigningAlg; use: 'sig'; kty: string };

export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: PublicJwk;
}

/** A fresh key pair for tests: RSA 2048 for RS256, P-256 for ES256. */
export function createSigningKey(alg: SigningAlg = 'RS256', kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } as PublicJwk;
  return { kid, alg, privateKey, publicKey, publicJwk };
}

/** A JWKS document with the public halves of `keys`. */
export function jwksOf(...keys: readonly SigningKey[]): { keys: PublicJwk[] } {
  return { keys: keys.map((k) => k.publicJwk) };
}
