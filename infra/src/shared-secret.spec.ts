import * as pulumi from '@pulumi/pulumi';
import { AUTHORIZER_SCHEME } from '@serverless-orders/http-contract';
import { installMocks, valueOf } from './test/pulumi-mocks';
import { testSettings } from './test/topology';

/** A Lambda-authorizer stack on the shared-secret scheme: the secret stays secret, its header is the identity source. */
describe('lambda authorizer with the shared-secret scheme', () => {
  it('sets the scheme settings from config, keeps the secret secret, and reads the configured header', async () => {
    installMocks('secret');
    const { ServerlessOrders } = await import('./serverless-orders');
    const settings = {
      ...testSettings('lambda', 'secret'),
      authScheme: 'shared-secret' as const,
      settings: { SHARED_SECRET_HEADER: 'X-Orders-Secret' },
      secretSettings: { SHARED_SECRET: pulumi.secret('a-long-enough-shared-secret') },
    };
    const system = new ServerlessOrders(settings.prefix, settings);

    const authorizer = system.functions.authorizer;
    if (!authorizer) throw new Error('a lambda stack deploys the authorizer');
    const environment = authorizer.function.environment;
    expect(await pulumi.isSecret(environment as pulumi.Output<unknown>)).toBe(true);
    expect((await valueOf(environment))?.variables).toMatchObject({
      AUTH_SCHEME: 'shared-secret',
      SHARED_SECRET: 'a-long-enough-shared-secret',
      SHARED_SECRET_HEADER: 'X-Orders-Secret',
    });
    expect((await valueOf(environment))?.variables).not.toHaveProperty('COGNITO_USER_POOL_ID');
    // No other function sees the secret.
    const others = await valueOf(system.functions['get-orders']?.function.environment ?? pulumi.output({}));
    expect(JSON.stringify(others)).not.toContain('a-long-enough-shared-secret');

    const api = JSON.parse(await valueOf(system.api.restApi.body as pulumi.Output<string>));
    const scheme = api.components.securitySchemes[AUTHORIZER_SCHEME];
    expect(scheme.name).toBe('X-Orders-Secret');
    expect(scheme['x-amazon-apigateway-authorizer'].identitySource).toBe('method.request.header.X-Orders-Secret');
  });
});
