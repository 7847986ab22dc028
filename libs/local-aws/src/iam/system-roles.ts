import {
  FUNCTIONS,
  functionPolicy,
  queueSendPolicy,
  schedulerPolicy,
  workflowPolicy,
  type FunctionName,
  type PolicyDocument,
  type SystemArns,
} from '@serverless-orders/function-catalogue';
import { roleCredentials, type LocalIam, type LocalRole, type RoleCredentials } from './local-iam';

/**
 * The roles infra creates, made locally from the same catalogue and the same policy functions:
 * one per function (session: the function's name, as Lambda names it), the state machine's, API
 * Gateway's for POST /orders, and each schedule's. Names follow infra's (`<function>-role`,
 * `<state machine>-role`, …) under the local prefix.
 */
export interface SystemRolesInput {
  readonly prefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly arns: SystemArns;
  /** The task functions the workflow's definition names. */
  readonly taskFunctions: readonly FunctionName[];
  /**
   * Statements to leave out, as `<role>:<Sid>` (a function's name, or `workflow`, `api`,
   * `schedule:<function>`): for tests that show what a missing permission does.
   */
  readonly removeStatements?: readonly string[];
}

export interface SystemRoles {
  /** A function's credentials: its role's, as Lambda hands them to it. */
  readonly function: (fn: FunctionName) => RoleCredentials;
  readonly workflow: LocalRole;
  readonly api: RoleCredentials;
  readonly schedule: (fn: FunctionName) => LocalRole;
}

export const functionRoleName = (prefix: string, fn: string) => `${prefix}-${fn}-role`;

/** A function's local credentials, by its name alone: the same the roles give it. */
export function functionCredentials(prefix: string, fn: string): RoleCredentials {
  return roleCredentials(functionRoleName(prefix, fn));
}

export class UnknownStatementError extends Error {
  constructor(wanted: string, known: readonly string[]) {
    super(`no statement ${wanted} to remove; the roles' statements are: ${known.join(', ')}`);
    this.name = 'UnknownStatementError';
  }
}

/** Gives every role of the system its policy in `iam`, less the statements `removeStatements` names. */
export function assumeSystemRoles(iam: LocalIam, input: SystemRolesInput): SystemRoles {
  const { prefix, region, accountId, arns } = input;
  const functionArn = (fn: string) => `arn:aws:lambda:${region}:${accountId}:function:${fn}`;
  const roles: Array<{ key: string; role: LocalRole }> = [];
  for (const fn of FUNCTIONS) {
    const logGroup = `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${fn.app}`;
    roles.push({ key: fn.app, role: { roleName: functionRoleName(prefix, fn.app), sessionName: fn.app, policy: functionPolicy(fn, logGroup, arns) } });
  }
  const stateMachineName = arns.stateMachine.split(':').pop() ?? 'workflow';
  // Step Functions names its sessions with a random id; a fixed one here.
  roles.push({ key: 'workflow', role: { roleName: `${stateMachineName}-role`, sessionName: 'StepFunctionsSession', policy: workflowPolicy(input.taskFunctions.map(functionArn)) } });
  roles.push({ key: 'api', role: { roleName: `${prefix}-api-sqs-role`, sessionName: 'ApiGatewaySession', policy: queueSendPolicy(arns.queue) } });
  for (const fn of FUNCTIONS) {
    if (fn.trigger.kind !== 'schedule') continue;
    roles.push({ key: `schedule:${fn.app}`, role: { roleName: `${prefix}-${fn.app}-schedule-role`, sessionName: 'SchedulerSession', policy: schedulerPolicy(functionArn(fn.app)) } });
  }

  const known = roles.flatMap(({ key, role }) => role.policy.Statement.map((s) => `${key}:${s.Sid}`));
  const removed = new Set(input.removeStatements ?? []);
  for (const wanted of removed) if (!known.includes(wanted)) throw new UnknownStatementError(wanted, known);
  const less = (key: string, policy: PolicyDocument): PolicyDocument => ({ ...policy, Statement: policy.Statement.filter((s) => !removed.has(`${key}:${s.Sid}`)) });

  const byKey = new Map<string, LocalRole>();
  for (const { key, role } of roles) {
    const reduced = { ...role, policy: less(key, role.policy) };
    iam.assume(reduced);
    byKey.set(key, reduced);
  }
  const role = (key: string) => {
    const found = byKey.get(key);
    if (!found) throw new Error(`no local role ${key}`);
    return found;
  };
  return {
    function: (fn) => roleCredentials(role(fn).roleName),
    workflow: role('workflow'),
    api: roleCredentials(role('api').roleName),
    schedule: (fn) => role(`schedule:${fn}`),
  };
}
