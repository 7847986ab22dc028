import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { checkSettings, DEFAULTS, readStackSettings, resourcePrefix, type StackSettings } from './stack-settings';

const project = 'serverless-orders';

function configure(values: Record<string, string>) {
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [`${project}:${k}`, v])));
}

describe('readStackSettings', () => {
  beforeAll(() => pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, project, 'dev'));

  it("leaves the region's API Gateway account setting alone unless asked: it is one per region, not per stack", () => {
    configure({ notificationEmail: 'ops@example.com' });
    expect(readStackSettings(new pulumi.Config(project), 'dev').manageApiGatewayAccount).toBe(false);
  });

  it('needs notificationEmail, and takes defaults for the rest', () => {
    configure({});
    expect(() => readStackSettings(new pulumi.Config(project), 'dev')).toThrow(/notificationEmail is required/);
    configure({ notificationEmail: 'ops@example.com' });
    expect(readStackSettings(new pulumi.Config(project), 'dev')).toMatchObject({
      ...DEFAULTS,
      // Relative to the workspace root, wherever Pulumi runs the program from.
      artifactsDir: path.resolve(__dirname, '../../dist/apps'),
      prefix: 'orders-dev',
      notificationEmail: 'ops@example.com',
      settings: {},
      secretSettings: {},
    });
  });

  it('reads every key of the stack', async () => {
    configure({
      notificationEmail: 'ops@example.com',
      authorizer: 'lambda',
      authScheme: 'oidc',
      waitSeconds: '2',
      architecture: 'x86_64',
      logRetentionDays: '7',
      authorizerTtlSeconds: '0',
      logLevel: 'DEBUG',
      corsAllowOrigin: 'https://app.example.com',
      throttleRateLimit: '12.5',
      throttleBurstLimit: '30',
      manageApiGatewayAccount: 'true',
      settings: JSON.stringify({ PAYMENT_FAILURE_RATE: 0.5, OIDC_ISSUER: 'https://id.example.com' }),
      secretSettings: JSON.stringify({ SHARED_SECRET: 'a-long-enough-shared-secret' }),
    });
    const settings = readStackSettings(new pulumi.Config(project), 'prod');
    // Names in the clear (checked at start), values only as secrets.
    expect(Object.keys(settings.secretSettings)).toEqual(['SHARED_SECRET']);
    expect(await pulumi.isSecret(settings.secretSettings['SHARED_SECRET'])).toBe(true);
    expect(settings).toMatchObject({
      prefix: 'orders-prod',
      authorizer: 'lambda',
      authScheme: 'oidc',
      waitSeconds: 2,
      architecture: 'x86_64',
      logRetentionDays: 7,
      authorizerTtlSeconds: 0,
      logLevel: 'DEBUG',
      corsAllowOrigin: 'https://app.example.com',
      throttleRateLimit: 12.5,
      throttleBurstLimit: 30,
      manageApiGatewayAccount: true,
      settings: { PAYMENT_FAILURE_RATE: '0.5', OIDC_ISSUER: 'https://id.example.com' },
    });
  });

  it('takes an absolute artifactsDir as it is', () => {
    configure({ notificationEmail: 'ops@example.com', artifactsDir: '/opt/bundles' });
    expect(readStackSettings(new pulumi.Config(project), 'dev').artifactsDir).toBe('/opt/bundles');
  });

  it('refuses a settings value that is not an object of strings', () => {
    configure({ notificationEmail: 'ops@example.com', settings: JSON.stringify({ A: { nested: true } }) });
    expect(() => readStackSettings(new pulumi.Config(project), 'dev')).toThrow('config settings.A must be a string');
  });
});

describe('checkSettings', () => {
  const valid: StackSettings = { ...DEFAULTS, prefix: 'orders-dev', notificationEmail: 'a@b.co', settings: {}, secretSettings: {} };

  it.each([
    ['authorizer', { authorizer: 'iam' }],
    ['authScheme', { authScheme: 'basic' }],
    ['architecture', { architecture: 'arm' }],
    ['logLevel', { logLevel: 'TRACE' }],
    ['notificationEmail', { notificationEmail: 'not-an-email' }],
    ['waitSeconds', { waitSeconds: -1 }],
    ['waitSeconds', { waitSeconds: 1.5 }],
    ['logRetentionDays', { logRetentionDays: 10 }],
    ['authorizerTtlSeconds', { authorizerTtlSeconds: 3601 }],
    ['throttleRateLimit', { throttleRateLimit: 0 }],
    ['throttleRateLimit', { throttleRateLimit: 20_000 }],
    ['throttleBurstLimit', { throttleBurstLimit: 0 }],
    ['throttleBurstLimit', { throttleBurstLimit: 10.5 }],
  ])('refuses a bad %s, naming it', (key, change) => {
    expect(() => checkSettings({ ...valid, ...(change as Partial<StackSettings>) })).toThrow(`config ${key}`);
  });

  it('accepts the defaults', () => {
    expect(checkSettings(valid)).toBe(valid);
  });

  it("throttles a stage by default: 50 requests a second and a burst of 100, far below the account's 10,000 and 5,000", () => {
    expect({ rate: DEFAULTS.throttleRateLimit, burst: DEFAULTS.throttleBurstLimit }).toEqual({ rate: 50, burst: 100 });
  });
});

describe('resourcePrefix', () => {
  it('derives names from the stack, within AWS limits', () => {
    expect(resourcePrefix('dev')).toBe('orders-dev');
    expect(resourcePrefix('Team_A.dev')).toBe('orders-team-a-dev');
    expect(() => resourcePrefix('x'.repeat(40))).toThrow(/too long/);
  });
});
