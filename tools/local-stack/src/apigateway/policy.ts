/**
 * How API Gateway judges a Lambda authorizer's answer: the shape it insists on, and the
 * policy's statements evaluated against the method ARN of the request (explicit Deny wins,
 * then any matching Allow, else an implicit deny).
 */
import { arnMatches } from '@serverless-orders/function-catalogue';

export interface MethodArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly method: string;
  /** The request path without the stage and without the leading slash: `orders/123`. */
  readonly path: string;
}

/** arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}, as API Gateway builds it. */
export function methodArn(p: MethodArnParts): string {
  const path = p.path.replace(/^\/+/, '');
  return `arn:aws:execute-api:${p.region}:${p.accountId}:${p.apiId}/${p.stage}/${p.method.toUpperCase()}/${path}`;
}

/** Whether an IAM action pattern covers execute-api:Invoke (action names are case-insensitive). */
export function actionCoversInvoke(action: string): boolean {
  return arnMatches(action.toLowerCase(), 'execute-api:invoke');
}

export type AuthorizerContextValue = string | number | boolean;

export interface AuthorizerAnswer {
  readonly principalId: string;
  readonly statements: readonly Statement[];
  readonly context: Readonly<Record<string, AuthorizerContextValue>>;
  readonly usageIdentifierKey?: string;
}

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export class MalformedAuthorizerAnswer extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedAuthorizerAnswer';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((x) => typeof x === 'string' && x.length > 0)) {
    throw new MalformedAuthorizerAnswer(`${what} must be a non-empty string or list of strings`);
  }
  return list as string[];
}

/** Reads an authorizer's output the way API Gateway does; anything it would refuse is MalformedAuthorizerAnswer (a 500). */
export function parseAuthorizerAnswer(output: unknown): AuthorizerAnswer {
  if (!isRecord(output)) throw new MalformedAuthorizerAnswer('the answer is not an object');
  const { principalId, policyDocument, context, usageIdentifierKey } = output;
  if (typeof principalId !== 'string' || principalId.length === 0) {
    throw new MalformedAuthorizerAnswer('principalId is missing or not a string');
  }
  if (!isRecord(policyDocument)) throw new MalformedAuthorizerAnswer('policyDocument is missing or not an object');
  const rawStatements = Array.isArray(policyDocument.Statement) ? policyDocument.Statement : [policyDocument.Statement];
  if (rawStatements.length === 0 || !rawStatements.every(isRecord)) {
    throw new MalformedAuthorizerAnswer('policyDocument.Statement must be a statement or a list of statements');
  }
  const statements = (rawStatements as Record<string, unknown>[]).map((s): Statement => {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new MalformedAuthorizerAnswer('a statement Effect is neither Allow nor Deny');
    return { effect: s.Effect, actions: stringList(s.Action, 'Action'), resources: stringList(s.Resource, 'Resource') };
  });
  const ctx: Record<string, AuthorizerContextValue> = {};
  if (context !== undefined && context !== null) {
    if (!isRecord(context)) throw new MalformedAuthorizerAnswer('context is not an object');
    for (const [key, value] of Object.entries(context)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new MalformedAuthorizerAnswer(`context.${key} is not a string, number or boolean`);
      }
      ctx[key] = value;
    }
  }
  if (usageIdentifierKey !== undefined && typeof usageIdentifierKey !== 'string') {
    throw new MalformedAuthorizerAnswer('usageIdentifierKey is not a string');
  }
  return { principalId, statements, context: ctx, ...(usageIdentifierKey ? { usageIdentifierKey } : {}) };
}

export type PolicyVerdict = 'allow' | 'explicit-deny' | 'implicit-deny';

/** Explicit Deny wins; otherwise a matching Allow allows; otherwise it is an implicit deny. */
export function evaluatePolicy(statements: readonly Statement[], arn: string): PolicyVerdict {
  const matching = statements.filter((s) => s.actions.some(actionCoversInvoke) && s.resources.some((r) => arnMatches(r, arn)));
  if (matching.some((s) => s.effect === 'Deny')) return 'explicit-deny';
  if (matching.some((s) => s.effect === 'Allow')) return 'allow';
  return 'implicit-deny';
}
