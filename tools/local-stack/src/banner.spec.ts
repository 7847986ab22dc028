import { banner } from './banner';
import { DEFAULT_OPTIONS, parseOptions, type StackOptions } from './options';

const outputs = {
  apiUrl: 'http://127.0.0.1:3000/dev',
  docsUrl: 'http://127.0.0.1:3000/docs',
  cognitoEndpoint: 'http://127.0.0.1:3010',
  userPoolId: 'us-east-1_AbC123xYz',
  userPoolClientId: 'client-id',
  userPoolClientSecret: 'never-printed-secret',
  dynamodbEndpoint: 'http://127.0.0.1:3011',
  tableName: 'serverless-orders-local-orders',
  sqsEndpoint: 'http://127.0.0.1:3012',
  stepFunctionsEndpoint: 'http://127.0.0.1:3013',
};
const facts = { outputs, outputsFile: '/home/dev/serverless-orders/.local/outputs.json', root: '/home/dev/serverless-orders', seconds: '1.2' };

describe('banner', () => {
  it('says plainly, without --persist, that everything is lost when the stack stops', () => {
    const text = banner(DEFAULT_OPTIONS, facts);
    expect(text).toContain('  State          in memory: users, orders, queues and executions are lost when the stack stops (npm start -- --persist keeps them)');
    expect(text).toContain('  Outputs        .local/outputs.json');
  });

  it('says where the state is kept with --persist', () => {
    expect(banner({ ...DEFAULT_OPTIONS, persist: true }, facts)).toContain('  State          on disk in .local (--persist): users, orders and queues are kept for the next start');
  });

  it('names the CLI as the workspace’s bin, npx orders, and never the client secret', () => {
    const text = banner(DEFAULT_OPTIONS, facts);
    expect(text).toContain("Get a token:  npx orders signup --email you@example.com --password 'passw0rd!' && npx orders confirm --email you@example.com && TOKEN=$(npx orders token");
    expect(text).not.toContain('dist/tools/cli');
    expect(text).not.toContain('never-printed-secret');
    expect(text).toContain('curl -H "Authorization: $TOKEN" http://127.0.0.1:3000/dev/orders');
  });

  it('tells the CLI where the outputs are when they are not in .local, and shows a path outside the workspace whole', () => {
    const text = banner({ ...DEFAULT_OPTIONS, dataDir: '/tmp/stack-2', persist: true }, { ...facts, outputsFile: '/tmp/stack-2/outputs.json' });
    expect(text).toContain('npx orders confirm --email you@example.com --outputs /tmp/stack-2/outputs.json');
    expect(text).toContain('  Outputs        /tmp/stack-2/outputs.json');
    expect(text).toContain('on disk in /tmp/stack-2 (--persist)');
  });

  it('says nothing of a demo without --demo', () => {
    expect(banner(DEFAULT_OPTIONS, facts)).not.toContain('Demo');
  });

  it('says plainly what --demo changes: its user and password, and the providers accepting every order', () => {
    const text = banner(parseOptions(['--demo']) as StackOptions, facts);
    expect(text).toContain('  Demo           signs up demo@example.com (password demo-passw0rd!) and places its orders through the API');
    expect(text).toContain('the simulated payment provider and restaurant accept every order');
    expect(text).toContain('(failure rates 0, not 0.2)');
  });

  it('with --demo and a failure rate given, says the rate is kept and an order may fail', () => {
    const text = banner(parseOptions(['--demo', '--payment-failure-rate', '0.5']) as StackOptions, facts);
    expect(text).toContain('The failure rates given are kept (payment 0.5, restaurant 0): an order may end FAILURE.');
    expect(text).not.toContain('accept every order');
  });
});
