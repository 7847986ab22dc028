import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import type { StackTarget } from './target';

export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken?: string;
}

/** What the commands need from the user pool. */
export interface IdentityPort {
  signUp(email: string, password: string): Promise<{ confirmed: boolean }>;
  confirm(email: string, code?: string): Promise<void>;
  login(email: string, password: string): Promise<Tokens>;
  refresh(username: string, refreshToken: string): Promise<Tokens>;
}

/** The user pool through the Cognito API, computing SECRET_HASH for the app client's secret. */
export class CognitoIdentity implements IdentityPort {
  private readonly client: CognitoIdentityProviderClient;
  private secret?: Promise<string | undefined>;

  constructor(private readonly target: StackTarget) {
    this.client = new CognitoIdentityProviderClient({
      region: target.region,
      ...(target.cognitoEndpoint ? { endpoint: target.cognitoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
  }

  /** The client secret: from the outputs, or (admin credentials) from the pool itself. */
  private clientSecret(): Promise<string | undefined> {
    this.secret ??= this.target.userPoolClientSecret
      ? Promise.resolve(this.target.userPoolClientSecret)
      : this.client
          .send(new DescribeUserPoolClientCommand({ UserPoolId: this.target.userPoolId, ClientId: this.target.userPoolClientId }))
          .then((r) => r.UserPoolClient?.ClientSecret);
    return this.secret;
  }

  private async hash(username: string): Promise<string | undefined> {
    const secret = await this.clientSecret();
    return secret ? cognitoSecretHash(username, this.target.userPoolClientId, secret) : undefined;
  }

  async signUp(email: string, password: string) {
    const result = await this.client.send(
      new SignUpCommand({
        ClientId: this.target.userPoolClientId,
        Username: email,
        Password: password,
        SecretHash: await this.hash(email),
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    return { confirmed: result.UserConfirmed === true };
  }

  async confirm(email: string, code?: string) {
    if (code) {
      await this.client.send(
        new ConfirmSignUpCommand({ ClientId: this.target.userPoolClientId, Username: email, ConfirmationCode: code, SecretHash: await this.hash(email) }),
      );
    } else {
      // Without a code: the administrator's confirmation (local stack, or AWS credentials allowed to do it).
      await this.client.send(new AdminConfirmSignUpCommand({ UserPoolId: this.target.userPoolId, Username: email }));
    }
  }

  async login(email: string, password: string): Promise<Tokens> {
    const hash = await this.hash(email);
    const result = await this.client.send(
      new InitiateAuthCommand({
        ClientId: this.target.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, ...(hash ? { SECRET_HASH: hash } : {}) },
      }),
    );
    return tokensOf(result.AuthenticationResult, result.ChallengeName);
  }

  async refresh(username: string, refreshToken: string): Promise<Tokens> {
    const hash = await this.hash(username);
    const result = await this.client.send(
      new InitiateAuthCommand({
        ClientId: this.target.userPoolClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken, ...(hash ? { SECRET_HASH: hash } : {}) },
      }),
    );
    return { ...tokensOf(result.AuthenticationResult, result.ChallengeName), refreshToken };
  }
}

function tokensOf(result: { IdToken?: string; AccessToken?: string; RefreshToken?: string } | undefined, challenge?: string): Tokens {
  if (!result?.IdToken || !result.AccessToken) {
    throw new Error(challenge ? `the user pool asks for ${challenge}, which this client does not answer` : 'the user pool returned no tokens');
  }
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken };
}
