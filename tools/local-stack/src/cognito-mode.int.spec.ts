import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { AdminInitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { orderSystemSuite } from '../test/order-system.suite';
import { runCli, startStack, type StartedStack } from '../test/local-stack.process';
import { cognitoClient, newUser } from '../test/users';

// The whole system with API Gateway's Cognito user-pool authorizer; providers that never fail.
describe('local stack, Cognito authorizer', () => {
  orderSystemSuite('cognito', { args: ['--payment-failure-rate', '0', '--restaurant-failure-rate', '0'], finalStatus: 'SUCCESS' });
});

describe('identity provider, API docs and the orders CLI', () => {
  let stack: StartedStack;
  let outputs: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack(['--payment-failure-rate', '0', '--restaurant-failure-rate', '0']);
    outputs = stack.outputs;
  }, 90_000);
  afterAll(async () => {
    await stack?.dispose();
  }, 30_000);

  it('writes the outputs the Pulumi stack exports, and the local endpoints', () => {
    for (const key of ['apiUrl', 'userPoolId', 'userPoolClientId', 'userPoolClientSecret', 'region', 'tableName', 'orderQueueUrl', 'deadLetterQueueUrl', 'topicArn']) {
      expect(outputs[key]).toEqual(expect.any(String));
    }
    for (const key of ['cognitoEndpoint', 'dynamodbEndpoint', 'sqsEndpoint', 'snsEndpoint']) expect(outputs[key]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(outputs.userPoolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
  });

  it('issues tokens that aws-jwt-verify’s Cognito verifier accepts', async () => {
    const user = await newUser(outputs, 'verified');
    const verifier = CognitoJwtVerifier.create({ userPoolId: outputs.userPoolId, clientId: outputs.userPoolClientId, tokenUse: 'id' });
    const jwks = (await (await fetch(`${outputs.cognitoEndpoint}/${outputs.userPoolId}/.well-known/jwks.json`)).json()) as Parameters<typeof verifier.cacheJwks>[0];
    verifier.cacheJwks(jwks);
    const payload = await verifier.verify(user.idToken);
    expect(payload.iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${outputs.userPoolId}`);
    expect(payload.email).toBe(user.email);
  });

  it('refuses a wrong or missing SECRET_HASH, and a short password', async () => {
    const cognito = cognitoClient(outputs);
    try {
      const email = `hash-${Date.now()}@example.com`;
      const signUp = (SecretHash: string | undefined, Password = 'passw0rd!') =>
        cognito.send(new SignUpCommand({ ClientId: outputs.userPoolClientId, Username: email, Password, SecretHash }));
      await expect(signUp(cognitoSecretHash('someone-else@example.com', outputs.userPoolClientId, outputs.userPoolClientSecret))).rejects.toMatchObject({
        name: 'NotAuthorizedException',
      });
      await expect(signUp(undefined)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
      await expect(signUp(cognitoSecretHash(email, outputs.userPoolClientId, outputs.userPoolClientSecret), 'short')).rejects.toMatchObject({
        name: 'InvalidPasswordException',
      });
      const user = await newUser(outputs, 'wronghash');
      await expect(
        cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: outputs.userPoolId,
            ClientId: outputs.userPoolClientId,
            AuthFlow: 'ADMIN_NO_SRP_AUTH',
            AuthParameters: { USERNAME: user.email, PASSWORD: 'passw0rd!', SECRET_HASH: 'd3Jvbmc=' },
          }),
        ),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    } finally {
      cognito.destroy();
    }
  });

  it('serves Swagger UI and the OpenAPI document at /docs', async () => {
    const page = await fetch(outputs.docsUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${outputs.docsUrl}/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    const document = (await (await fetch(`${outputs.docsUrl}/openapi.json`)).json()) as { servers: Array<{ url: string }>; paths: Record<string, unknown> };
    expect(document.servers[0].url).toBe(outputs.apiUrl);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/orders', '/orders/{id}']));
  });

  it('the orders CLI signs up, signs in and places an order that reaches SUCCESS', async () => {
    const file = ['--outputs', `${stack.dataDir}/outputs.json`];
    const email = `cli-${Date.now()}@example.com`;
    const ok = async (args: string[]) => {
      const result = await runCli([...args, ...file]);
      if (result.code !== 0) throw new Error(`orders ${args.join(' ')} failed: ${result.stderr}`);
      return result.stdout;
    };
    await ok(['signup', '--email', email, '--password', 'passw0rd!']);
    await ok(['confirm', '--email', email]);
    const token = (await ok(['token', '--email', email, '--password', 'passw0rd!'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const order = JSON.parse(await ok(['create', '--restaurant', 'r1', '--item', 'soup', '--quantity', '1', '--wait'])) as Record<string, string>;
    expect(order.order_status).toBe('SUCCESS');
    expect(JSON.parse(await ok(['get', order.id]))).toMatchObject({ id: order.id });
    expect(JSON.parse(await ok(['list'])).items).toHaveLength(1);
    await ok(['delete', order.id]);
    const missing = await runCli(['get', order.id, ...file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('404');
    const refused = await runCli(['login', '--email', email, '--password', 'wrong-password', ...file]);
    expect(refused.code).toBe(1);
  });
});
