import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CliError } from './errors';

/** The stack's user pool, for signup, confirm, login and refresh. */
export interface PoolTarget {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly userPoolClientSecret?: string;
  /** The local identity provider; undefined for Amazon Cognito. */
  readonly endpoint?: string;
}

/** The stack's workflow, for history. */
export interface WorkflowTarget {
  readonly region: string;
  readonly stateMachineArn: string;
  /** The local Step Functions endpoint; undefined for AWS (then the user's AWS credentials are used). */
  readonly endpoint?: string;
}

/** Where the commands go: a stack's API, and its user pool and workflow when known. */
export interface StackTarget {
  readonly kind: 'local' | 'deployed';
  /** Where the target was read from, to name it in messages. */
  readonly source: string;
  readonly apiUrl: string;
  readonly pool?: PoolTarget;
  readonly workflow?: WorkflowTarget;
}

const text = (outputs: Record<string, unknown>, key: string) =>
  typeof outputs[key] === 'string' && outputs[key] !== '' ? (outputs[key] as string) : undefined;

/**
 * A stack's outputs (the local stack's outputs.json, or Pulumi's: the same keys) as a target.
 * `apiUrl` overrides the outputs' API URL (--api-url); the user pool and the workflow are kept
 * when the outputs name them.
 */
export function targetFromOutputs(outputs: Record<string, unknown>, kind: StackTarget['kind'], source: string, apiUrl?: string): StackTarget {
  const url = apiUrl ?? text(outputs, 'apiUrl');
  if (!url) throw new CliError(`${source} has no apiUrl: is it a Serverless Orders stack's outputs? (--api-url <url> names the API)`);
  const region = text(outputs, 'region');
  const local = (key: string) => (kind === 'local' ? text(outputs, key) : undefined);
  const userPoolId = text(outputs, 'userPoolId');
  const userPoolClientId = text(outputs, 'userPoolClientId');
  const stateMachineArn = text(outputs, 'stateMachineArn');
  return {
    kind,
    source,
    apiUrl: url.replace(/\/+$/, ''),
    ...(region && userPoolId && userPoolClientId
      ? { pool: { region, userPoolId, userPoolClientId, userPoolClientSecret: text(outputs, 'userPoolClientSecret'), endpoint: local('cognitoEndpoint') } }
      : {}),
    ...(region && stateMachineArn ? { workflow: { region, stateMachineArn, endpoint: local('stepFunctionsEndpoint') } } : {}),
  };
}

/** Only an API URL (--api-url, no outputs): the API commands work with --token. */
export function urlTarget(apiUrl: string): StackTarget {
  return { kind: 'deployed', source: '--api-url', apiUrl: apiUrl.replace(/\/+$/, '') };
}

/** The local stack, from its outputs.json. */
export function localTarget(file: string, apiUrl?: string): StackTarget {
  if (!existsSync(file)) {
    if (apiUrl) return urlTarget(apiUrl);
    throw new CliError(
      `${file} not found: start the local stack (npm start) in the workspace, or name a stack with --outputs <file>, --api-url <url> or --stack <pulumi stack>`,
    );
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file} is not JSON (${(error as Error).message}): restart the local stack to rewrite it`);
  }
  if (!outputs || typeof outputs !== 'object') throw new CliError(`${file} is not a JSON object: restart the local stack to rewrite it`);
  return targetFromOutputs(outputs as Record<string, unknown>, 'local', file, apiUrl);
}

/** A deployed stack, from `pulumi stack output --json --show-secrets` run in the infra project. */
export function deployedTarget(stack: string, infraDir: string, apiUrl?: string, run: typeof execFileSync = execFileSync): StackTarget {
  let output: string;
  try {
    output = run('pulumi', ['stack', 'output', '--json', '--show-secrets', '--stack', stack, '--cwd', infraDir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }) as string;
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string | Buffer };
    if (code === 'ENOENT') {
      throw new CliError('Pulumi CLI not found: install it (see infra/README.md) or use the local stack (npm start, then leave out --stack)');
    }
    const reason = String(stderr ?? '').trim().split('\n').filter(Boolean).slice(0, 3).join(' ') || (error as Error).message;
    throw new CliError(`could not read the outputs of Pulumi stack ${stack}: ${reason}`);
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(output);
  } catch {
    throw new CliError(`Pulumi stack ${stack} printed outputs that are not JSON`);
  }
  return targetFromOutputs(outputs as Record<string, unknown>, 'deployed', `Pulumi stack ${stack}`, apiUrl);
}
