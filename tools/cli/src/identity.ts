import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { CliError } from './errors';
import type { PoolTarget } from './target';

export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken?: string;
}

/** What the commands need from the user pool. Failures are CliErrors with plain messages. */
export interface IdentityPort {
  signUp(email: string, password: string): Promise<{ confirmed: boolean }>;
  confirm(email: string, code?: string): Promise<void>;
  login(email: string, password: string): Promise<Tokens>;
  refresh(username: string, refreshToken: string): Promise<Tokens>;
  close(): void;
}

/** The part of the SDK client the adapter uses (a fake in tests). */
export interface CognitoSender {
  send(command: object): Promise<unknown>;
  destroy(): void;
}

type AwsError = Error & { name: string };
const named = (error: unknown, ...names: string[]) => error instanceof Error && names.includes((error as AwsError).name);

/**
 * The user pool through the Cognito API, computing SECRET_HASH for the app client's secret, and
 * saying what went wrong in the user's words. Amazon Cognito (PreventUserExistenceErrors, as infra
 * sets it) answers an unknown email and a wrong password alike, so for a deployed stack the
 * message names both; the local identity provider is the user's own, so there the CLI asks it
 * (AdminGetUser) which one it was.
 */
export class CognitoIdentity implements IdentityPort {
  private secret?: Promise<string | undefined>;

  constructor(
    private readonly pool: PoolTarget,
    private readonly client: CognitoSender = new CognitoIdentityProviderClient({
      region: pool.region,
      ...(pool.endpoint ? { endpoint: pool.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  ) {}

  close(): void {
    this.client.destroy();
  }

  /** The client secret: from the outputs, or (admin credentials) from the pool itself. */
  private clientSecret(): Promise<string | undefined> {
    this.secret ??= this.pool.userPoolClientSecret
      ? Promise.resolve(this.pool.userPoolClientSecret)
      : this.client
          .send(new DescribeUserPoolClientCommand({ UserPoolId: this.pool.userPoolId, ClientId: this.pool.userPoolClientId }))
          .then((r) => (r as { UserPoolClient?: { ClientSecret?: string } }).UserPoolClient?.ClientSecret);
    return this.secret;
  }

  private async hash(username: string): Promise<string | undefined> {
    const secret = await this.clientSecret();
    return secret ? cognitoSecretHash(username, this.pool.userPoolClientId, secret) : undefined;
  }

  /** The user's status on the local identity provider (undefined: no such user); null when the pool cannot be asked. */
  private async localUserStatus(email: string): Promise<string | undefined | null> {
    if (!this.pool.endpoint) return null;
    try {
      const user = (await this.client.send(new AdminGetUserCommand({ UserPoolId: this.pool.userPoolId, Username: email }))) as { UserStatus?: string };
      return user.UserStatus ?? 'UNKNOWN';
    } catch (error) {
      return named(error, 'UserNotFoundException') ? undefined : null;
    }
  }

  async signUp(email: string, password: string) {
    try {
      const result = (await this.client.send(
        new SignUpCommand({
          ClientId: this.pool.userPoolClientId,
          Username: email,
          Password: password,
          SecretHash: await this.hash(email),
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      )) as { UserConfirmed?: boolean };
      return { confirmed: result.UserConfirmed === true };
    } catch (error) {
      if (named(error, 'UsernameExistsException')) throw new CliError(`${email} is already signed up; log in: orders login --email ${email} --password <p>`);
      if (named(error, 'InvalidPasswordException')) throw new CliError(`the user pool refuses that password: ${(error as Error).message}`);
      if (named(error, 'InvalidParameterException')) throw new CliError(`the user pool refuses the sign-up: ${(error as Error).message}`);
      throw error;
    }
  }

  async confirm(email: string, code?: string) {
    try {
      if (code) {
        await this.client.send(
          new ConfirmSignUpCommand({ ClientId: this.pool.userPoolClientId, Username: email, ConfirmationCode: code, SecretHash: await this.hash(email) }),
        );
      } else {
        // Without a code: the administrator's confirmation (local stack, or AWS credentials allowed to do it).
        await this.client.send(new AdminConfirmSignUpCommand({ UserPoolId: this.pool.userPoolId, Username: email }));
      }
    } catch (error) {
      if (named(error, 'CodeMismatchException')) throw new CliError('wrong confirmation code: use the code the user pool sent for this email');
      if (named(error, 'ExpiredCodeException')) throw new CliError('that confirmation code has expired: sign up again for a new one');
      if (named(error, 'UserNotFoundException')) throw noUser();
      if (named(error, 'NotAuthorizedException')) {
        const status = await this.localUserStatus(email);
        if (status === undefined) throw noUser();
        if (status === 'CONFIRMED' || /current status is confirmed/i.test((error as Error).message)) {
          throw new CliError(`${email} is already confirmed; log in: orders login --email ${email} --password <p>`);
        }
      }
      throw error;
    }
  }

  async login(email: string, password: string): Promise<Tokens> {
    const hash = await this.hash(email);
    try {
      const result = (await this.client.send(
        new InitiateAuthCommand({
          ClientId: this.pool.userPoolClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password, ...(hash ? { SECRET_HASH: hash } : {}) },
        }),
      )) as { AuthenticationResult?: TokensResult; ChallengeName?: string };
      return tokensOf(result.AuthenticationResult, result.ChallengeName);
    } catch (error) {
      if (named(error, 'UserNotFoundException')) throw noUser();
      if (named(error, 'UserNotConfirmedException')) throw new CliError(`${email} is not confirmed yet: orders confirm --email ${email}`);
      if (named(error, 'PasswordResetRequiredException')) throw new CliError(`the user pool requires a new password for ${email} before it signs in`);
      if (named(error, 'NotAuthorizedException', 'InvalidPasswordException')) {
        const status = await this.localUserStatus(email);
        if (status === undefined) throw noUser();
        // Cognito's answer to a wrong password is NotAuthorizedException "Incorrect username or
        // password."; cognito-local's is InvalidPasswordException. Other NotAuthorizedExceptions
        // (a bad SECRET_HASH, a disabled user) keep their own message.
        if (named(error, 'InvalidPasswordException') || /incorrect username or password/i.test((error as Error).message)) {
          // Amazon Cognito does not say which of the two it was (PreventUserExistenceErrors).
          throw new CliError(status === null ? `wrong email or password (no account yet? orders signup --email ${email} --password <p>)` : 'wrong password');
        }
      }
      throw error;
    }
  }

  async refresh(username: string, refreshToken: string): Promise<Tokens> {
    const hash = await this.hash(username);
    try {
      const result = (await this.client.send(
        new InitiateAuthCommand({
          ClientId: this.pool.userPoolClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken, ...(hash ? { SECRET_HASH: hash } : {}) },
        }),
      )) as { AuthenticationResult?: TokensResult; ChallengeName?: string };
      return { ...tokensOf(result.AuthenticationResult, result.ChallengeName), refreshToken };
    } catch (error) {
      if (named(error, 'NotAuthorizedException', 'UserNotFoundException')) throw new CliError('the session has expired: log in again (orders login)');
      throw error;
    }
  }
}

type TokensResult = { IdToken?: string; AccessToken?: string; RefreshToken?: string };

const noUser = () => new CliError('no user with that email; sign up first: orders signup --email <e> --password <p>');

function tokensOf(result: TokensResult | undefined, challenge?: string): Tokens {
  if (!result?.IdToken || !result.AccessToken) {
    throw new CliError(challenge ? `the user pool asks for ${challenge}, which this client does not answer` : 'the user pool returned no tokens');
  }
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken };
}
