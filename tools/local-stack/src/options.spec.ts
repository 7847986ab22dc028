import { DEFAULT_OPTIONS, OptionsError, parseOptions } from './options';

describe('parseOptions', () => {
  it('has defaults on 127.0.0.1-friendly ports', () => {
    expect(parseOptions([])).toEqual({ ...DEFAULT_OPTIONS, functionEnv: {} });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    const o = parseOptions([
      '--authorizer=lambda',
      '--port', '0',
      '--cognito-port', '1',
      '--dynamodb-port=2',
      '--sqs-port', '3',
      '--sfn-port', '4',
      '--persist',
      '--data-dir', 'tmp/x',
      '--region', 'eu-west-1',
      '--stage', 'test',
      '--wait-seconds', '0',
      '--visibility-timeout', '2',
      '--authorizer-ttl', '0',
      '--payment-failure-rate', '1',
      '--restaurant-failure-rate=0',
      '--env', 'get-orders:POWERTOOLS_DEV=true',
      '--quiet',
      '--concurrency', '3',
      '--watch',
      '--retain-executions', '50',
      '--retain-minutes', '5',
      '--drain-seconds', '0',
      '--throttle-rate=20',
      '--throttle-burst', '40',
    ]);
    expect(o).toMatchObject({
      authorizer: 'lambda',
      ports: { api: 0, cognito: 1, dynamodb: 2, messaging: 3, sfn: 4 },
      persist: true,
      dataDir: 'tmp/x',
      region: 'eu-west-1',
      stage: 'test',
      waitSeconds: 0,
      visibilityTimeoutSeconds: 2,
      authorizerTtlSeconds: 0,
      quiet: true,
      functionConcurrency: 3,
      watch: true,
      retainExecutions: 50,
      retainExecutionMinutes: 5,
      drainSeconds: 0,
      throttle: { rate: 20, burst: 40 },
      functionEnv: {
        'process-payment': { PAYMENT_FAILURE_RATE: '1' },
        'send-order': { RESTAURANT_FAILURE_RATE: '0' },
        'get-orders': { POWERTOOLS_DEV: 'true' },
      },
    });
  });

  it('returns undefined for --help', () => {
    expect(parseOptions(['--help'])).toBeUndefined();
  });

  it.each([
    [['--authorizer', 'iam'], 'cognito or lambda'],
    [['--port', 'x'], '--port needs a number'],
    [['--port', '70000'], '--port needs a number'],
    [['--port'], '--port needs a value'],
    [['--payment-failure-rate', '2'], 'from 0 to 1'],
    [['--env', 'nobody:X=1'], 'no function named nobody'],
    [['--env', 'get-orders'], '<app>:<NAME>=<value>'],
    [['--region', 'mars'], 'not an AWS region'],
    [['--frobnicate'], 'unknown option --frobnicate'],
  ])('refuses %p', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(OptionsError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
