import { refused, type Principal, type VerificationFailure } from './token-verifier.port';

type Claims = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function strings(value: unknown, separator: RegExp): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  if (typeof value === 'string') return value.split(separator).filter((v) => v !== '');
  return [];
}

/**
 * The principal a verified JWT names. Pure: the signature, issuer, audience and times are
 * the adapter's job; this only reads claims. No `sub` → `missing-subject`.
 */
export function principalFromClaims(claims: Claims, options: { groupsClaim: string }): Principal | VerificationFailure {
  const sub = text(claims['sub']);
  if (!sub) return refused('missing-subject', 'the token has no sub claim');
  return {
    sub,
    username: text(claims['cognito:username']) ?? text(claims['username']) ?? text(claims['preferred_username']),
    email: text(claims['email']),
    groups: strings(claims[options.groupsClaim], /[,\s]+/),
    token_use: text(claims['token_use']),
    scopes: strings(claims['scope'] ?? claims['scp'], /\s+/),
    issuer: text(claims['iss']),
  };
}

export const isFailure = (value: Principal | VerificationFailure): value is VerificationFailure =>
  (value as VerificationFailure).ok === false;
