import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '@serverless-orders/function-catalogue';
import type { Intercept } from '../front-door';
import { dynamoDbCalls, snsCalls, sqsCalls, stepFunctionsCalls, type IamCall, type LocalService, type ParsedRequest, type Scope } from './calls';
import { accessDeniedMessage, refusal, SIGNATURE_MESSAGE, TOKEN_MESSAGE } from './refusals';
import { signatureMatches, sigV4Credential } from './sigv4';

/** Credentials as Lambda hands them to a function: its role's, temporary (with a session token). */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/**
 * The local credentials of a role, one set per role, the same on every start: the access key
 * names the role (`ASIA` + a digest, as a temporary key looks), and the secret and the session
 * token are derived from it. Nothing here is secret: they only tell the local services who calls.
 */
export function roleCredentials(roleName: string): RoleCredentials {
  const digest = (what: string) => createHash('sha256').update(`serverless-orders-local/${what}/${roleName}`).digest();
  return {
    accessKeyId: `ASIA${digest('key').toString('hex').slice(0, 16).toUpperCase()}`,
    secretAccessKey: digest('secret').toString('base64').slice(0, 40),
    sessionToken: digest('session').toString('base64'),
  };
}

/** A role's unique id, as IAM gives one (`AROA…`), stable for its name. */
const roleId = (roleName: string) => `AROA${createHash('sha256').update(roleName).digest('hex').slice(0, 17).toUpperCase()}`;

/** Decisions kept per policy at most; past it they are made afresh (execution ARNs, one per order, are many). */
const MAX_DECISIONS_KEPT = 10_000;

/** Whether a policy's conditions read the time of the request, which changes from call to call. */
const namesTheTime = (policy: PolicyDocument) => /aws:(CurrentTime|EpochTime)/i.test(JSON.stringify(policy));

/** A role a caller acts as, and the policy attached to it. */
export interface LocalRole {
  readonly roleName: string;
  /** The session name: Lambda names a function's session after the function. */
  readonly sessionName: string;
  readonly policy: PolicyDocument;
}

/** One decision, kept for tests and for the log. */
export interface IamDecision {
  readonly principal: string;
  readonly roleName: string;
  readonly action: string;
  readonly resource: string;
  readonly allowed: boolean;
}

export type Authorization = { readonly allowed: true } | { readonly allowed: false; readonly call: IamCall; readonly principal: string; readonly message: string };

/**
 * IAM for the local services. Each role's credentials map to the role and its policy; every
 * call made with them is evaluated against that policy by an IAM policy simulator
 * (@cloud-copilot/iam-simulate), with the request's action, its resource ARN and the global
 * condition keys of the request. A call with any other key is the local administrator's (the
 * stack's own set-up, tests, the CLI, a developer's AWS CLI) and is allowed everything.
 */
export class LocalIam {
  private readonly roles = new Map<string, { role: LocalRole; credentials: RoleCredentials }>();
  private readonly listeners = new Set<(decision: IamDecision) => void>();
  /** Decisions made, per policy (a role given a new policy starts afresh): see decideOnce. */
  private readonly decisions = new WeakMap<PolicyDocument, Map<string, Promise<string>> | null>();

  constructor(readonly scope: Scope) {}

  /** Gives a role its policy (again: a later call replaces it); returns the role's credentials. */
  assume(role: LocalRole): RoleCredentials {
    const credentials = roleCredentials(role.roleName);
    this.roles.set(credentials.accessKeyId, { role, credentials });
    return credentials;
  }

  /** Called with every decision made for a role (not for the administrator). Returns a function that stops it. */
  onDecision(listener: (decision: IamDecision) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  principalArn(role: LocalRole): string {
    return `arn:aws:sts::${this.scope.accountId}:assumed-role/${role.roleName}/${role.sessionName}`;
  }

  /**
   * Every call allowed by the role's policy, or the first one that is not. `service` is the
   * local service that was called, whose way of writing the action the denial's message follows
   * (none: a service that writes it as IAM does, such as Lambda).
   */
  async authorize(role: LocalRole, calls: readonly IamCall[], service?: LocalService, region = this.scope.region): Promise<Authorization> {
    const principal = this.principalArn(role);
    for (const call of calls) {
      const allowed = (await this.decideOnce(role, call, region)) === 'Allowed';
      for (const listener of this.listeners) listener({ principal, roleName: role.roleName, action: call.action, resource: call.resource, allowed });
      if (!allowed) return { allowed: false, call, principal, message: accessDeniedMessage(service, principal, call.action, call.resource) };
    }
    return { allowed: true };
  }

  /**
   * The simulator's decision, made once per policy and call: the same policy, action, resource
   * and request context give the same decision. The context's only keys that change from call
   * to call are the time's, so a policy that names them is evaluated every time. (The simulator
   * costs a few hundred microseconds a call, and every call the functions make is checked.)
   */
  private decideOnce(role: LocalRole, call: IamCall, region: string): Promise<string> {
    let decisions = this.decisions.get(role.policy);
    // A policy is read for the time once, when first seen (null: it does, so nothing is kept).
    if (decisions === undefined) this.decisions.set(role.policy, (decisions = namesTheTime(role.policy) ? null : new Map()));
    if (decisions === null) return this.decide(role, call, region);
    if (decisions.size >= MAX_DECISIONS_KEPT) decisions.clear();
    const key = [role.roleName, role.sessionName, region, call.action, call.resource].join('\n');
    let decision = decisions.get(key);
    if (!decision) decisions.set(key, (decision = this.decide(role, call, region)));
    return decision;
  }

  private async decide(role: LocalRole, call: IamCall, region: string): Promise<string> {
    const now = new Date();
    const simulation: Simulation = {
      request: {
        principal: this.principalArn(role),
        action: call.action,
        resource: { resource: call.resource, accountId: this.scope.accountId },
        // The global condition keys every request has (IAM's request context), as AWS sets them for an assumed role.
        contextVariables: {
          'aws:PrincipalArn': `arn:aws:iam::${this.scope.accountId}:role/${role.roleName}`,
          'aws:PrincipalAccount': this.scope.accountId,
          'aws:PrincipalType': 'AssumedRole',
          'aws:userid': `${roleId(role.roleName)}:${role.sessionName}`,
          'aws:RequestedRegion': region,
          'aws:SecureTransport': 'false',
          'aws:SourceIp': '127.0.0.1',
          'aws:CurrentTime': now.toISOString(),
          'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
        },
      },
      identityPolicies: [{ name: role.roleName, policy: role.policy as unknown as Simulation['identityPolicies'][number]['policy'] }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    // An action or ARN the simulator's data does not know is not allowed: IAM allows only what a policy names.
    const response = await runSimulation(simulation, {});
    return response.resultType === 'error' ? 'ImplicitlyDenied' : response.overallResult;
  }

  /**
   * The check a local endpoint runs on each request before it reaches the service: who signed
   * it (SigV4's access key), what it asks (`parse`), and whether the caller's role may.
   * A request signed with a role's key must carry that role's session token and a signature
   * its secret gives, scoped to this service. Answers the service's own refusal, or undefined.
   */
  intercept(services: readonly [LocalService, ...LocalService[]]): Intercept {
    return async (req, body) => {
      const credential = sigV4Credential(req);
      if (credential === undefined) return undefined; // unsigned: the local administrator's tools
      // One endpoint may serve two services (SQS and SNS): the credential's scope says which was meant.
      const scoped = typeof credential === 'string' ? undefined : services.find((s) => s === credential.service);
      const service = scoped ?? services[0];
      const protocol = requestProtocol(service, req);
      if (typeof credential === 'string') return refusal({ service, protocol }, 'incomplete', credential);
      const known = this.roles.get(credential.accessKeyId);
      if (!known) return undefined; // the administrator's key
      if (!scoped) return refusal({ service, protocol }, 'signature', `Credential should be scoped to correct service: '${services.join("' or '")}'. `);
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const token = req.headers['x-amz-security-token'] ?? query.get('X-Amz-Security-Token');
      if (token !== known.credentials.sessionToken) return refusal({ service, protocol }, 'token', TOKEN_MESSAGE);
      if (req.headers.authorization && !(await signatureMatches(req, body, credential, known.credentials))) {
        return refusal({ service, protocol }, 'signature', SIGNATURE_MESSAGE);
      }
      const parsed = parseRequest(service, req, body, { region: credential.region, accountId: this.scope.accountId });
      if (!parsed) return undefined; // not an API call the service would accept either: let it answer
      const decision = await this.authorize(known.role, parsed.calls, parsed.service, credential.region);
      return decision.allowed ? undefined : refusal(parsed, 'access-denied', decision.message);
    };
  }
}

/** JSON (X-Amz-Target) or query (a form with Action=…). */
function requestProtocol(service: LocalService, req: Pick<IncomingMessage, 'headers'>): ParsedRequest['protocol'] {
  if (service === 'sns') return 'query';
  return req.headers['x-amz-target'] ? 'json' : service === 'sqs' ? 'query' : 'json';
}

const jsonBody = (body: Buffer): Record<string, unknown> | undefined => {
  if (body.length === 0) return {};
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** What the request asks of the service, as IAM calls; undefined when it is no API call at all. */
export function parseRequest(service: LocalService, req: Pick<IncomingMessage, 'headers' | 'url'>, body: Buffer, scope: Scope): ParsedRequest | undefined {
  const target = String(req.headers['x-amz-target'] ?? '');
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (target) {
    const [prefix, operation] = target.split('.');
    const fields = jsonBody(body);
    if (!operation || !fields) return undefined;
    if (service === 'dynamodb' && prefix.startsWith('DynamoDB_')) return { service, operation, protocol: 'json', calls: dynamoDbCalls(operation, fields, scope) };
    if (service === 'states' && prefix === 'AWSStepFunctions') return { service, operation, protocol: 'json', calls: stepFunctionsCalls(operation, fields, scope) };
    if ((service === 'sqs' || service === 'sns') && prefix === 'AmazonSQS') return { service: 'sqs', operation, protocol: 'json', calls: sqsCalls(operation, fields, path, scope) };
    return undefined;
  }
  const form = new URLSearchParams(body.toString('utf8'));
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const operation = form.get('Action') ?? query.get('Action');
  if (!operation) return undefined;
  const fields = Object.fromEntries([...query, ...form]);
  if (service === 'sns') return { service: 'sns', operation, protocol: 'query', calls: snsCalls(operation, new URLSearchParams(fields), scope) };
  if (service === 'sqs') return { service: 'sqs', operation, protocol: 'query', calls: sqsCalls(operation, fields, path, scope) };
  return undefined;
}
