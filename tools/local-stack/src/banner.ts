import { join, resolve } from 'node:path';
import type { StackOptions } from './options';
import { DEFAULT_OPTIONS, DEMO_USER } from './options';
import { shownPath } from './state-files';

export interface BannerFacts {
  readonly outputs: Readonly<Record<string, string>>;
  readonly outputsFile: string;
  /** The workspace root, where the stack runs and `npx orders` looks for .local/outputs.json. */
  readonly root: string;
  readonly seconds: string;
}

/**
 * What `npm start` prints once the stack is ready: where each part listens, whether what it
 * holds outlives it, and the first commands to try with the workspace's CLI (`npx orders`, the
 * package's bin), told where the outputs are when they are not where it looks by default.
 */
export function banner(options: StackOptions, facts: BannerFacts): string {
  const { outputs: o, root } = facts;
  const dataDir = shownPath(resolve(root, options.dataDir), root);
  const cli = cliFor(facts);
  const state = options.persist
    ? `on disk in ${dataDir} (--persist): users, orders and queues are kept for the next start`
    : `in memory: users, orders, queues and executions are lost when the stack stops (npm start -- --persist keeps them)`;
  return `
Serverless Orders — local stack ready in ${facts.seconds} s (authorizer: ${options.authorizer})
  API            ${o.apiUrl}
  API docs       ${o.docsUrl}
  Cognito        ${o.cognitoEndpoint}   pool ${o.userPoolId}, client ${o.userPoolClientId}
  DynamoDB       ${o.dynamodbEndpoint}   table ${o.tableName}
  SQS and SNS    ${o.sqsEndpoint}
  Step Functions ${o.stepFunctionsEndpoint}
  Outputs        ${shownPath(facts.outputsFile, root)}
  State          ${state}
${options.demo ? `  Demo           ${demoChanges(options)}
` : ''}
Get a token:  ${cli(`signup --email you@example.com --password 'passw0rd!'`)} && ${cli('confirm --email you@example.com')} && TOKEN=$(${cli(`token --email you@example.com --password 'passw0rd!'`)})
Then:         curl -H "Authorization: $TOKEN" ${o.apiUrl}/orders
Ctrl-C stops the stack.
`;
}

/** `npx orders <command>`, told where the outputs are when they are not where it looks by default. */
export function cliFor(facts: Pick<BannerFacts, 'outputsFile' | 'root'>): (command: string) => string {
  const defaultOutputs = join(resolve(facts.root, DEFAULT_OPTIONS.dataDir), 'outputs.json');
  const where = resolve(facts.outputsFile) === defaultOutputs ? '' : ` --outputs ${shownPath(facts.outputsFile, facts.root)}`;
  return (command: string) => `npx orders ${command}${where}`;
}

/** What --demo does to this stack, said plainly: the user it signs up, and the providers' rates. */
export function demoChanges(options: StackOptions): string {
  const payment = options.functionEnv['process-payment']?.PAYMENT_FAILURE_RATE ?? 'the default 0.2';
  const restaurant = options.functionEnv['send-order']?.RESTAURANT_FAILURE_RATE ?? 'the default 0.2';
  const user = `signs up ${DEMO_USER.email} (password ${DEMO_USER.password}) and places its orders through the API, as any client does (below).`;
  return payment === '0' && restaurant === '0'
    ? `${user}
                 Demo mode changes one thing: the simulated payment provider and restaurant accept every order
                 (failure rates 0, not 0.2); --payment-failure-rate and --restaurant-failure-rate set them.`
    : `${user}
                 The failure rates given are kept (payment ${payment}, restaurant ${restaurant}): an order may end FAILURE.`;
}
