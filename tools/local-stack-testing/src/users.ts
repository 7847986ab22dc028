import {
  AdminConfirmSignUpCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';

export interface User {
  readonly email: string;
  readonly idToken: string;
  readonly sub: string;
}

export function cognitoClient(outputs: Record<string, string>) {
  return new CognitoIdentityProviderClient({
    endpoint: outputs.cognitoEndpoint,
    region: outputs.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Signs a user up, confirms them, and signs them in as a server-side client does (ADMIN_NO_SRP_AUTH with SECRET_HASH). */
export async function newUser(outputs: Record<string, string>, name: string): Promise<User> {
  const cognito = cognitoClient(outputs);
  const email = `${name}-${Date.now()}@example.com`;
  const password = 'passw0rd!';
  const hash = cognitoSecretHash(email, outputs.userPoolClientId, outputs.userPoolClientSecret);
  try {
    await cognito.send(
      new SignUpCommand({ ClientId: outputs.userPoolClientId, Username: email, Password: password, SecretHash: hash, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: outputs.userPoolId, Username: email }));
    const auth = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: outputs.userPoolId,
        ClientId: outputs.userPoolClientId,
        AuthFlow: 'ADMIN_NO_SRP_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash },
      }),
    );
    const idToken = auth.AuthenticationResult?.IdToken ?? '';
    const sub = String(JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).sub);
    return { email, idToken, sub };
  } finally {
    cognito.destroy();
  }
}

/** A request to the local API (with `timeoutMs`, one without an answer by then fails with a TimeoutError). */
export async function call(outputs: Record<string, string>, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs?: number) {
  const response = await fetch(`${outputs.apiUrl}${path}`, {
    method,
    signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
    headers: {
      ...(token !== undefined ? { Authorization: token } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, body: json as Record<string, unknown>, text, headers: response.headers };
}
