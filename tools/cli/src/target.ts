import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Where the commands go: a stack's API and its user pool. */
export interface StackTarget {
  readonly kind: 'local' | 'deployed';
  readonly apiUrl: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly userPoolClientSecret?: string;
  /** The local identity provider; undefined for AWS. */
  readonly cognitoEndpoint?: string;
}

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

const REQUIRED = ['apiUrl', 'region', 'userPoolId', 'userPoolClientId'] as const;

/** Reads a stack's outputs (the local stack's outputs.json, or Pulumi's) into a target. */
export function targetFromOutputs(outputs: Record<string, unknown>, kind: StackTarget['kind'], source: string): StackTarget {
  const missing = REQUIRED.filter((k) => typeof outputs[k] !== 'string' || outputs[k] === '');
  if (missing.length) throw new TargetError(`${source} lacks ${missing.join(', ')}`);
  const text = (k: string) => (typeof outputs[k] === 'string' && outputs[k] !== '' ? (outputs[k] as string) : undefined);
  return {
    kind,
    apiUrl: (outputs.apiUrl as string).replace(/\/+$/, ''),
    region: outputs.region as string,
    userPoolId: outputs.userPoolId as string,
    userPoolClientId: outputs.userPoolClientId as string,
    userPoolClientSecret: text('userPoolClientSecret'),
    cognitoEndpoint: kind === 'local' ? text('cognitoEndpoint') : undefined,
  };
}

export function localTarget(file: string): StackTarget {
  if (!existsSync(file)) {
    throw new TargetError(`${file} not found: start the local stack (npm start), or name a deployed one with --stack <pulumi stack>`);
  }
  return targetFromOutputs(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, 'local', file);
}

/** A deployed stack's outputs, from `pulumi stack output --json --show-secrets` run in the infra project. */
export function deployedTarget(stack: string, infraDir: string, run: typeof execFileSync = execFileSync): StackTarget {
  let text: string;
  try {
    text = run('pulumi', ['stack', 'output', '--json', '--show-secrets', '--stack', stack, '--cwd', infraDir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }) as string;
  } catch (error) {
    throw new TargetError(`could not read the outputs of Pulumi stack ${stack}: ${(error as Error).message}`);
  }
  return targetFromOutputs(JSON.parse(text) as Record<string, unknown>, 'deployed', `Pulumi stack ${stack}`);
}
