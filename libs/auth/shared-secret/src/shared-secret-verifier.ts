import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenVerifier, VerificationResult } from '@serverless-orders/auth-domain';

export interface SharedSecretSettings {
  /** The secret callers present. From configuration (a secret store), never a constant in code. */
  readonly secret: string;
  /** The principal (principalId and sub) every holder of the secret acts as. */
  readonly principal: string;
}

export const MIN_SHARED_SECRET_LENGTH = 16;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The caller presents a shared secret in a header (kept for existing clients: README,
 * Compatibility). Compared in constant time: both sides are hashed to 32 bytes
 * first, so neither the content nor the length of the secret leaks through timing.
 */
export class SharedSecretVerifier implements TokenVerifier {
  private readonly expected: Buffer;

  constructor(private readonly settings: SharedSecretSettings) {
    if (typeof settings.secret !== 'string' || settings.secret.length < MIN_SHARED_SECRET_LENGTH) {
      throw new Error(`the shared secret must have at least ${MIN_SHARED_SECRET_LENGTH} characters`);
    }
    if (!settings.principal) throw new Error('the shared-secret principal must not be empty');
    this.expected = digest(settings.secret);
  }

  verify(token: string): VerificationResult {
    if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
    if (!timingSafeEqual(digest(token), this.expected)) return { ok: false, reason: 'bad-signature', detail: 'secret does not match' };
    return {
      ok: true,
      principal: { sub: this.settings.principal, username: this.settings.principal, groups: [], scopes: [], token_use: 'shared-secret' },
    };
  }
}
