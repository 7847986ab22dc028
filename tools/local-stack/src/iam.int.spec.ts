import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  arnMatches,
  functionCalls,
  FUNCTIONS,
  queueSendCalls,
  workflowCalls,
  type CallContext,
  type FunctionName,
  type RoleCall,
} from '@serverless-orders/function-catalogue';
import { functionRoleName, queueArnOfUrl, type IamDecision } from '@serverless-orders/local-aws';
import { WORKFLOW_TASK_FUNCTIONS } from '@serverless-orders/order-workflow';
import { ROLE_PREFIX } from './lambda/function-environment';
import { eventually, NODE, ROOT, startStack, type StartedStack } from '../test/local-stack.process';
import { call, newUser } from '../test/users';

/*
 * Local IAM, end to end: each function runs under the role policy infra gives it, and every call
 * it makes to the local DynamoDB, SQS, SNS and Step Functions is evaluated against it.
 *
 * AWS behaviour pinned: with every statement in place the whole walkthrough works (the smoke
 * test, the same script a deployed stack is checked with) and every call a role makes is one the
 * catalogue lists for it; with one statement a function needs removed, its call fails with
 * AccessDeniedException ("… is not authorized to perform: <action> on resource: <arn> because no
 * identity-based policy allows the <action> action") in the function's log, and the order never
 * reaches its final status.
 */

jest.setTimeout(240_000);

const ACCOUNT = '000000000000';
const SMOKE = join(ROOT, 'dist/tools/smoke/main.js');

/** Starts the stack with the IAM test hooks (LOCAL_STACK_IAM_REMOVE, LOCAL_STACK_IAM_AUDIT) in its environment. */
function stackWith(env: Record<string, string>, args: string[]): Promise<StartedStack> {
  return startStack(['--payment-failure-rate', '0', '--restaurant-failure-rate', '0', '--visibility-timeout', '2', ...args], { env });
}

function runSmoke(outputsFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [SMOKE, '--outputs', outputsFile, '--timeout', '60'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('with every role as infra gives it', () => {
  let stack: StartedStack;
  let auditDir: string;
  let auditFile: string;

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'local-iam-audit-'));
    auditFile = join(auditDir, 'decisions.jsonl');
    stack = await stackWith({ LOCAL_STACK_IAM_AUDIT: auditFile }, ['--quiet']);
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
    rmSync(auditDir, { recursive: true, force: true });
  });

  it('the smoke test passes: sign-up, token, an order with an Idempotency-Key to its final status, list, update, delete', async () => {
    expect(existsSync(SMOKE)).toBe(true);
    const { code, output } = await runSmoke(join(stack.dataDir, 'outputs.json'));
    expect(output).toMatch(/^9 passed, 0 failed$/m);
    expect(code).toBe(0);
  });

  it('no call was denied, and every call each role made is one the catalogue lists for it', async () => {
    const o = stack.outputs;
    const tableArn = (name: string) => `arn:aws:dynamodb:${o.region}:${ACCOUNT}:table/${name}`;
    const context: CallContext = {
      arns: {
        table: tableArn(o.tableName),
        idempotencyTable: tableArn(o.idempotencyTableName),
        queue: queueArnOfUrl(o.orderQueueUrl, { region: o.region, accountId: ACCOUNT }) ?? '',
        deadLetterQueue: o.deadLetterQueueArn,
        stateMachine: o.stateMachineArn,
        topic: o.topicArn,
      },
      region: o.region,
      accountId: ACCOUNT,
      logGroupArn: (fn) => `arn:aws:logs:${o.region}:${ACCOUNT}:log-group:/aws/lambda/${fn}`,
      functionArn: (fn) => `arn:aws:lambda:${o.region}:${ACCOUNT}:function:${fn}`,
    };
    const listed = new Map<string, RoleCall[]>();
    for (const fn of FUNCTIONS) listed.set(functionRoleName(ROLE_PREFIX, fn.app), functionCalls(fn.app as FunctionName, context));
    listed.set(`${o.stateMachineArn.split(':').pop()}-role`, workflowCalls(WORKFLOW_TASK_FUNCTIONS as FunctionName[], context));
    listed.set(`${ROLE_PREFIX}-api-sqs-role`, queueSendCalls(context));

    // The workflow's last task may still be running when the smoke test ends.
    await new Promise((r) => setTimeout(r, 1000));
    const decisions = readFileSync(auditFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as IamDecision);
    expect(decisions.filter((d) => !d.allowed)).toEqual([]);
    const unlisted = decisions.filter((d) => !(listed.get(d.roleName) ?? []).some((c) => c.action === d.action && arnMatches(c.resource, d.resource)));
    expect(unlisted).toEqual([]);
    // The walkthrough reached every role on the way of an order.
    const roles = new Set(decisions.map((d) => d.roleName));
    for (const fn of ['get-orders', 'update-order', 'delete-order', 'create-order', 'manage-order-state', 'process-payment', 'send-order']) {
      expect(roles).toContain(functionRoleName(ROLE_PREFIX, fn));
    }
    expect(roles).toContain(`${ROLE_PREFIX}-api-sqs-role`);
    expect(roles).toContain(`${o.stateMachineArn.split(':').pop()}-role`);
  });
});

describe.each([
  { remove: 'create-order:WorkflowStart', fn: 'create-order', action: 'states:StartExecution', resource: (o: Record<string, string>) => o.stateMachineArn },
  {
    remove: 'manage-order-state:TablePut',
    fn: 'manage-order-state',
    action: 'dynamodb:PutItem',
    resource: (o: Record<string, string>) => `arn:aws:dynamodb:${o.region}:${ACCOUNT}:table/${o.tableName}`,
  },
])('without $remove', ({ remove, fn, action, resource }) => {
  let stack: StartedStack;

  beforeAll(async () => {
    // --verbose: the functions' log lines as they wrote them, errors with their name and message.
    stack = await stackWith({ LOCAL_STACK_IAM_REMOVE: remove }, ['--verbose']);
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
  });

  it(`${fn}'s call fails with AccessDeniedException in its log, and the order never reaches its final status`, async () => {
    const user = await newUser(stack.outputs, 'iam');
    const placed = await call(stack.outputs, 'POST', '/orders', user.idToken, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 });
    expect(placed.status).toBe(202);
    const id = String(placed.body.order_id);
    const denial = `is not authorized to perform: ${action} on resource: ${resource(stack.outputs)} because no identity-based policy allows the ${action} action`;
    // The function logs the SDK's AccessDeniedException: its message (create-order logs only the
    // message of an error it retries), or its name and message (an error the function throws).
    const line = await eventually(async () => stack.log().split('\n').find((l) => l.startsWith(`[${fn}`) && l.includes(denial)), 30_000, `${fn} to log the denial`);
    expect(line).toContain(`User: arn:aws:sts::${ACCOUNT}:assumed-role/${functionRoleName(ROLE_PREFIX, fn)}/${fn} ${denial}`);
    if (fn !== 'create-order') expect(line).toContain('AccessDeniedException');
    // The stack says it too, whatever the function logs.
    expect(stack.log()).toContain(`[iam] AccessDenied: arn:aws:sts::${ACCOUNT}:assumed-role/${functionRoleName(ROLE_PREFIX, fn)}/${fn} may not ${action} on ${resource(stack.outputs)}`);
    // With every permission, this order would be final within a few seconds (wait 0, failure rates 0).
    await new Promise((r) => setTimeout(r, 6000));
    const order = await call(stack.outputs, 'GET', `/orders/${id}`, user.idToken);
    expect(order.status).toBe(200);
    expect(order.body.order_status).toBe('PENDING');
  });
});
