import { availableParallelism } from 'node:os';
import { DEFAULT_OPTIONS, DEFAULT_PORTS, OptionsError, parseOptions, usage } from './options';

describe('parseOptions', () => {
  it('has defaults on 127.0.0.1-friendly ports', () => {
    expect(parseOptions([])).toEqual({ ...DEFAULT_OPTIONS, functionEnv: {} });
  });

  it('runs each function in at most as many environments as the machine has cores (at least 2), and --help says how many', () => {
    const cores = availableParallelism();
    expect(DEFAULT_OPTIONS.functionEnvironments).toBe(cores >= 2 ? cores : 2);
    expect(usage(400)).toContain(`(default ${DEFAULT_OPTIONS.functionEnvironments}: this machine's cores, at least 2`);
  });

  it('keeps its default ports off the ports common tools listen on', () => {
    // 9229: node --inspect; 8000: DynamoDB Local, Django, python -m http.server; 4566: LocalStack;
    // 8083: Step Functions Local, Kafka Connect. 32768 and up: Linux's ephemeral range.
    const ports = Object.values(DEFAULT_PORTS);
    for (const taken of [9229, 8000, 4566, 8083, 8080, 5000, 5173]) expect(ports).not.toContain(taken);
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) expect(p).toBeGreaterThan(1023);
    for (const p of ports) expect(p).toBeLessThan(32768);
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
      '--reconcile-every', '0.5',
      '--payment-failure-rate', '1',
      '--restaurant-failure-rate=0',
      '--env', 'get-orders:POWERTOOLS_DEV=true',
      '--log-level', 'debug',
      '--quiet',
      '--verbose',
      '--exit-with-parent',
      '--concurrency', '3',
      '--environments', '2',
      '--watch',
      '--retain-executions', '50',
      '--retain-minutes', '5',
      '--drain-seconds', '0',
      '--throttle-rate=20',
      '--throttle-burst', '40',
      '--demo',
    ]);
    expect(o).toEqual({
      authorizer: 'lambda',
      ports: { api: 0, cognito: 1, dynamodb: 2, messaging: 3, sfn: 4 },
      persist: true,
      dataDir: 'tmp/x',
      region: 'eu-west-1',
      stage: 'test',
      waitSeconds: 0,
      visibilityTimeoutSeconds: 2,
      authorizerTtlSeconds: 0,
      reconcileEverySeconds: 0.5,
      logLevel: 'DEBUG',
      quiet: true,
      verbose: true,
      exitWithParent: true,
      functionConcurrency: 3,
      functionEnvironments: 2,
      watch: true,
      retainExecutions: 50,
      retainExecutionMinutes: 5,
      drainSeconds: 0,
      throttle: { rate: 20, burst: 40 },
      demo: true,
      functionEnv: {
        'process-payment': { PAYMENT_FAILURE_RATE: '1' },
        'send-order': { RESTAURANT_FAILURE_RATE: '0' },
        'get-orders': { POWERTOOLS_DEV: 'true' },
      },
    });
  });

  it('takes --env again and again; a value may hold = and spaces; of two settings of one variable, the last given wins', () => {
    const o = parseOptions([
      '--env', 'authorizer:AUTH_SCHEME=shared-secret',
      '--env=authorizer:SHARED_SECRET=a b=c',
      '--payment-failure-rate', '1',
      '--env', 'process-payment:PAYMENT_FAILURE_RATE=0.5',
      '--restaurant-failure-rate', '0.25',
      '--env', 'send-order:RESTAURANT_FAILURE_RATE=1',
      '--restaurant-failure-rate', '0',
    ]);
    expect(o?.functionEnv).toEqual({
      authorizer: { AUTH_SCHEME: 'shared-secret', SHARED_SECRET: 'a b=c' },
      'process-payment': { PAYMENT_FAILURE_RATE: '0.5' },
      'send-order': { RESTAURANT_FAILURE_RATE: '0' },
    });
  });

  it('--demo makes the simulated providers accept every order, unless the command line sets a rate, in any order', () => {
    expect(parseOptions(['--demo'])).toMatchObject({
      demo: true,
      functionEnv: { 'process-payment': { PAYMENT_FAILURE_RATE: '0' }, 'send-order': { RESTAURANT_FAILURE_RATE: '0' } },
    });
    expect(parseOptions(['--demo', '--payment-failure-rate', '0.5'])?.functionEnv).toEqual({
      'process-payment': { PAYMENT_FAILURE_RATE: '0.5' },
      'send-order': { RESTAURANT_FAILURE_RATE: '0' },
    });
    expect(parseOptions(['--env', 'send-order:RESTAURANT_FAILURE_RATE=1', '--demo'])?.functionEnv['send-order']).toEqual({ RESTAURANT_FAILURE_RATE: '1' });
    expect(parseOptions([])?.demo).toBe(false);
    expect(() => parseOptions(['--demo=yes'])).toThrow(OptionsError);
  });

  it('keeps the old names --api-port and --sns-port', () => {
    expect(parseOptions(['--api-port', '7', '--sns-port', '8'])?.ports).toMatchObject({ api: 7, messaging: 8 });
  });

  it.each([['--help'], ['-h'], ['--port', '0', '--help']])('returns undefined for %p', (...argv) => {
    expect(parseOptions(argv)).toBeUndefined();
  });

  it.each([
    [['--authorizer', 'iam'], '--authorizer is cognito or lambda, not "iam"'],
    [['--port', 'x'], '--port needs a whole number from 0 to 65535, not "x"'],
    [['--port', '70000'], '--port needs a whole number from 0 to 65535, not "70000"'],
    [['--port', '3.5'], '--port needs a whole number from 0 to 65535'],
    [['--port', ''], '--port needs a whole number from 0 to 65535, not ""'],
    [['--port'], '--port needs a value'],
    [['--sfn-port', '-1'], '--sfn-port needs a whole number from 0 to 65535, not "-1"'],
    [['--payment-failure-rate', '2'], '--payment-failure-rate needs a number from 0 to 1, not "2"'],
    [['--concurrency', '0'], '--concurrency needs a whole number from 1 to 1000'],
    [['--environments', '1.5'], '--environments needs a whole number from 1 to 1000'],
    [['--drain-seconds', '601'], '--drain-seconds needs a number from 0 to 600'],
    [['--env', 'nobody:X=1'], 'no function named nobody (one of '],
    [['--env', 'get-orders'], '--env takes <app>:<NAME>=<value>, not "get-orders"'],
    [['--env', 'get-orders:1X=1'], '<app>:<NAME>=<value>'],
    [['--region', 'mars'], '--region "mars" is not an AWS region'],
    [['--stage', 'a/b'], '--stage "a/b" may hold only letters, digits, - and _'],
    [['--log-level', 'loud'], '--log-level is TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT, not "loud"'],
    [['--data-dir', ' '], '--data-dir " " is not a directory name'],
    [['--frobnicate'], "unknown option '--frobnicate' (npm start -- --help lists every option)"],
    [['--persist=yes'], "unknown option '--persist=yes'"],
    [['lambda'], 'the stack takes options only, not "lambda"'],
    [['--port', '1', '--api-port', '2'], '--api-port is another name for --port: give one of them'],
  ])('refuses %p, naming the option and what it takes', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(OptionsError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it.each([
    ['--prot', '--port'],
    ['--persits', '--persist'],
    ['--cognito-prot', '--cognito-port'],
    ['--verbos', '--verbose'],
    ['--enc', '--env'],
  ])('refuses the unknown %s with the nearest option, %s', (typo, nearest) => {
    expect(() => parseOptions([typo, '1'])).toThrow(`unknown option '${typo}'\n(Did you mean ${nearest}?)`);
  });
});

describe('usage', () => {
  const text = usage(100);

  it('lists every option the parser takes, with its default', () => {
    for (const flag of [
      '--authorizer', '--port', '--cognito-port', '--dynamodb-port', '--sqs-port', '--sfn-port', '--persist', '--data-dir', '--region', '--stage',
      '--wait-seconds', '--visibility-timeout', '--authorizer-ttl', '--reconcile-every', '--payment-failure-rate', '--restaurant-failure-rate',
      '--env', '--concurrency', '--environments', '--watch', '--retain-executions', '--retain-minutes', '--drain-seconds', '--throttle-rate', '--throttle-burst',
      '--log-level', '--quiet', '--verbose', '--exit-with-parent', '--demo', '--help',
    ]) {
      expect(text).toMatch(new RegExp(`^\\s+(-h, )?${flag} `, 'm'));
    }
    for (const port of Object.values(DEFAULT_PORTS)) expect(text).toContain(`(default ${port})`);
    expect(text).toContain('Usage: npm start -- [options]');
    expect(text).toContain('npx orders');
  });

  it('keeps the old port names out of the help', () => {
    expect(text).not.toContain('--api-port');
    expect(text).not.toContain('--sns-port');
  });
});
