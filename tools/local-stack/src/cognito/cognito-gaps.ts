import { randomInt, timingSafeEqual } from 'node:crypto';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';

/**
 * The places where cognito-local differs from Amazon Cognito in ways the original system's
 * walkthrough notices, as pure rules the identity provider applies in front of cognito-local:
 * - ADMIN_NO_SRP_AUTH is accepted as ADMIN_USER_PASSWORD_AUTH (AWS treats them the same);
 * - a client with a secret requires a correct SECRET_HASH, and refuses a wrong or missing one;
 * - pool ids are in AWS's form (`<region>_<9 letters and digits>`);
 * - the pool's password policy is enforced.
 */

export class CognitoGapError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** The adjustments to a request before cognito-local sees it. */
export function normaliseRequest(target: string, req: Record<string, unknown>): Record<string, unknown> {
  if (target === 'AdminInitiateAuth' && req.AuthFlow === 'ADMIN_NO_SRP_AUTH') return { ...req, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' };
  return req;
}

type Params = Record<string, string | undefined>;

/** Where each operation carries its client id, username(s) and SECRET_HASH; undefined when it carries none. */
export function secretHashCarrier(target: string, req: Record<string, unknown>): { clientId: string; usernames: string[]; hash: string | undefined } | undefined {
  const clientId = typeof req.ClientId === 'string' ? req.ClientId : undefined;
  if (!clientId) return undefined;
  switch (target) {
    case 'SignUp':
    case 'ConfirmSignUp':
    case 'ResendConfirmationCode':
    case 'ForgotPassword':
    case 'ConfirmForgotPassword':
      return { clientId, usernames: [String(req.Username ?? '')], hash: req.SecretHash as string | undefined };
    case 'InitiateAuth':
    case 'AdminInitiateAuth': {
      const params = (req.AuthParameters ?? {}) as Params;
      const usernames = [params.USERNAME, ...refreshTokenUsernames(params.REFRESH_TOKEN)].filter((u): u is string => !!u);
      return { clientId, usernames, hash: params.SECRET_HASH };
    }
    case 'RespondToAuthChallenge':
    case 'AdminRespondToAuthChallenge': {
      const params = (req.ChallengeResponses ?? {}) as Params;
      return { clientId, usernames: [params.USERNAME ?? ''], hash: params.SECRET_HASH };
    }
    default:
      return undefined;
  }
}

/** With a refresh token, Cognito's SECRET_HASH uses the user's own username (the sub when email is the username). */
function refreshTokenUsernames(token: string | undefined): string[] {
  if (!token) return [];
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return [payload['cognito:username'], payload.sub, payload.email].filter((v): v is string => typeof v === 'string');
  } catch {
    return [];
  }
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Refuses a missing or wrong SECRET_HASH for a client that has a secret, with Cognito's messages. */
export function verifySecretHash(target: string, req: Record<string, unknown>, clientSecret: string | undefined): void {
  const carrier = secretHashCarrier(target, req);
  if (!carrier || !clientSecret) return;
  if (!carrier.hash) {
    throw new CognitoGapError('NotAuthorizedException', `Client ${carrier.clientId} is configured for secret but secret was not received`);
  }
  const hash = carrier.hash;
  if (!carrier.usernames.some((u) => sameText(cognitoSecretHash(u, carrier.clientId, clientSecret), hash))) {
    throw new CognitoGapError('NotAuthorizedException', `Unable to verify secret hash for client ${carrier.clientId}`);
  }
}

const POOL_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A user pool id in AWS's form: `us-east-1_AbC123xYz`. */
export function awsUserPoolId(region: string, random: (max: number) => number = randomInt): string {
  let suffix = '';
  for (let i = 0; i < 9; i++) suffix += POOL_ID_ALPHABET[random(POOL_ID_ALPHABET.length)];
  return `${region}_${suffix}`;
}

export interface PasswordPolicy {
  readonly MinimumLength?: number;
  readonly RequireUppercase?: boolean;
  readonly RequireLowercase?: boolean;
  readonly RequireNumbers?: boolean;
  readonly RequireSymbols?: boolean;
}

/** The new password an operation sets, if any. */
export function newPassword(target: string, req: Record<string, unknown>): string | undefined {
  switch (target) {
    case 'SignUp':
    case 'ConfirmForgotPassword':
    case 'AdminSetUserPassword':
      return req.Password as string | undefined;
    case 'AdminCreateUser':
      return req.TemporaryPassword as string | undefined;
    case 'ChangePassword':
      return req.ProposedPassword as string | undefined;
    case 'RespondToAuthChallenge':
    case 'AdminRespondToAuthChallenge':
      return ((req.ChallengeResponses ?? {}) as Params).NEW_PASSWORD;
    default:
      return undefined;
  }
}

/** Cognito's check of a new password against the pool's policy. */
export function checkPassword(password: string, policy: PasswordPolicy | undefined): void {
  if (!policy) return;
  const fail = (why: string) => {
    throw new CognitoGapError('InvalidPasswordException', `Password did not conform with policy: ${why}`);
  };
  if (password.length < (policy.MinimumLength ?? 0)) fail('Password not long enough');
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters');
  if (policy.RequireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters');
  if (policy.RequireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) fail('Password must have symbol characters');
}
