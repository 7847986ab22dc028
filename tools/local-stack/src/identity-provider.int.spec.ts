import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminConfirmSignUpCommand, AdminInitiateAuthCommand, ListUsersCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { runStack, startStack } from '../test/local-stack.process';
import { cognitoClient } from '../test/users';

const PORTS = ['--port', '--cognito-port', '--dynamodb-port', '--sqs-port', '--sfn-port'].flatMap((p) => [p, '0']);

async function signUpAll(outputs: Record<string, string>, emails: string[]): Promise<void> {
  const cognito = cognitoClient(outputs);
  const { userPoolClientId: ClientId, userPoolClientSecret } = outputs;
  try {
    await Promise.all(
      emails.map((email) =>
        cognito.send(
          new SignUpCommand({
            ClientId,
            Username: email,
            Password: 'passw0rd!',
            SecretHash: cognitoSecretHash(email, ClientId, userPoolClientSecret),
            UserAttributes: [{ Name: 'email', Value: email }],
          }),
        ),
      ),
    );
  } finally {
    cognito.destroy();
  }
}

/** Confirms a user and signs in with the password given at sign-up; resolves the ID token. */
async function signIn(outputs: Record<string, string>, email: string): Promise<string | undefined> {
  const cognito = cognitoClient(outputs);
  const { userPoolId: UserPoolId, userPoolClientId: ClientId, userPoolClientSecret } = outputs;
  try {
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: email }));
    const SECRET_HASH = cognitoSecretHash(email, ClientId, userPoolClientSecret);
    const auth = await cognito.send(
      new AdminInitiateAuthCommand({ UserPoolId, ClientId, AuthFlow: 'ADMIN_NO_SRP_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'passw0rd!', SECRET_HASH } }),
    );
    return auth.AuthenticationResult?.IdToken;
  } finally {
    cognito.destroy();
  }
}

async function emailsOf(outputs: Record<string, string>): Promise<string[]> {
  const cognito = cognitoClient(outputs);
  try {
    const { Users = [] } = await cognito.send(new ListUsersCommand({ UserPoolId: outputs.userPoolId, Limit: 60 }));
    return Users.map((u) => u.Attributes?.find((a) => a.Name === 'email')?.Value ?? '').sort();
  } finally {
    cognito.destroy();
  }
}

// The identity provider keeps its users in cognito-local's JSON files. Amazon Cognito takes any
// number of sign-ups at once; so must they, and a restart with --persist finds every user.
describe('identity provider state', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-idp-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  let poolFile: string;

  it('keeps 40 users signed up at once across a restart with --persist', async () => {
    const emails = Array.from({ length: 40 }, (_, i) => `at-once-${i}@example.com`).sort();
    const first = await startStack(['--persist'], { dataDir });
    let poolId: string;
    try {
      poolId = first.outputs.userPoolId;
      await signUpAll(first.outputs, emails);
      expect(await emailsOf(first.outputs)).toEqual(emails);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    poolFile = join(dataDir, 'cognito', `${poolId}.json`);
    expect(Object.keys((JSON.parse(readFileSync(poolFile, 'utf8')) as { Users: object }).Users)).toHaveLength(40);
    expect(readdirSync(join(dataDir, 'cognito')).sort()).toEqual(['clients.json', `${poolId}.json`]);

    const again = await startStack(['--persist'], { dataDir });
    try {
      expect(again.outputs.userPoolId).toBe(poolId);
      expect(await emailsOf(again.outputs)).toEqual(emails);
      // and each is whole: the last one signed up can be confirmed and sign in with its password
      expect((await signIn(again.outputs, emails[39]))?.split('.')).toHaveLength(3);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 120_000);

  it('names a damaged pool file and how to recover, and starts again without --persist', async () => {
    const kept = readFileSync(poolFile, 'utf8');
    // What two unserialised saves left: a whole state followed by the tail of an older, longer one.
    writeFileSync(poolFile, `${kept}${kept.slice(-40)}`);
    const failed = await runStack(['--data-dir', dataDir, ...PORTS, '--persist']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`local stack: the state file ${poolFile} is damaged and cannot be read (Unexpected non-whitespace character after JSON`);
    expect(failed.stderr).toContain('Delete that file (the users of pool');
    expect(failed.stderr).toContain(`or the whole data directory ${dataDir}, or start without --persist`);
    expect(failed.stderr).not.toMatch(/\n\s+at /);

    // Without --persist the identity provider starts empty, from a scratch folder, and leaves the file as it is.
    const fresh = await startStack([], { dataDir });
    try {
      expect(await emailsOf(fresh.outputs)).toEqual([]);
    } finally {
      expect(await fresh.stop()).toBe(0);
    }
    expect(readFileSync(poolFile, 'utf8')).toBe(`${kept}${kept.slice(-40)}`);

    // Deleting the file, as the message says: the next start with --persist makes a new, empty pool.
    rmSync(poolFile);
    const recovered = await startStack(['--persist'], { dataDir });
    try {
      expect(await emailsOf(recovered.outputs)).toEqual([]);
      expect(existsSync(join(dataDir, 'cognito', `${recovered.outputs.userPoolId}.json`))).toBe(true);
    } finally {
      expect(await recovered.stop()).toBe(0);
    }
  }, 120_000);

  it('without --persist, keeps no user for the next start', async () => {
    const other = mkdtempSync(join(tmpdir(), 'local-stack-idp-memory-'));
    try {
      const first = await startStack([], { dataDir: other });
      try {
        await signUpAll(first.outputs, ['gone@example.com']);
      } finally {
        expect(await first.stop()).toBe(0);
      }
      expect(existsSync(join(other, 'cognito'))).toBe(false);
      const second = await startStack([], { dataDir: other });
      try {
        expect(await emailsOf(second.outputs)).toEqual([]);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);
});
