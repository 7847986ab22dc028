import type { Principal } from './token-verifier.port';

/** The context API Gateway passes to the integration: string values only. */
export interface AuthorizerContext {
  readonly sub: string;
  readonly email: string;
  /** The caller's groups, joined with ",". */
  readonly groups: string;
  readonly token_use: string;
  readonly [key: string]: string;
}

/** A Lambda authorizer's answer (the shape of aws-lambda's APIGatewayAuthorizerResult). */
export interface AuthorizerAllowResult {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: readonly [
      { readonly Action: 'execute-api:Invoke'; readonly Effect: 'Allow'; readonly Resource: string },
    ];
  };
  readonly context: AuthorizerContext;
}

const ARN = /^arn:([a-z-]+):execute-api:([a-z0-9-]+):([0-9]{12}|\*|[a-z0-9-]+):([A-Za-z0-9_-]+)\/([A-Za-z0-9_.$-]+)(?:\/.*)?$/;

/**
 * Every method and path of the caller's API and stage: arn:…:<api-id>/<stage>/*\/*. API
 * Gateway caches the answer per token, so a policy naming only the route first called would
 * refuse the caller's next route with 403. Undefined if `methodArn` is not an execute-api ARN.
 */
export function apiWideResource(methodArn: string | null | undefined): string | undefined {
  if (typeof methodArn !== 'string') return undefined;
  const match = ARN.exec(methodArn);
  if (!match) return undefined;
  const [, partition, region, account, apiId, stage] = match;
  return `arn:${partition}:execute-api:${region}:${account}:${apiId}/${stage}/*/*`;
}

function authorizerContext(principal: Principal): AuthorizerContext {
  return {
    sub: principal.sub,
    email: principal.email ?? '',
    groups: principal.groups.join(','),
    token_use: principal.token_use ?? '',
  };
}

/** The Allow answer for a verified principal on the whole API stage, or undefined for a bad methodArn. */
export function allowPolicy(principal: Principal, methodArn: string | null | undefined): AuthorizerAllowResult | undefined {
  const resource = apiWideResource(methodArn);
  if (!resource) return undefined;
  return {
    principalId: principal.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }],
    },
    context: authorizerContext(principal),
  };
}
