import { arnMatches } from '@serverless-orders/function-catalogue';
import { evaluatePolicy, methodArn, MalformedAuthorizerAnswer, parseAuthorizerAnswer } from './policy';

const arn = methodArn({ region: 'us-east-1', accountId: '000000000000', apiId: 'abc123', stage: 'dev', method: 'get', path: '/orders/42' });

const allow = (resource: string | string[], action: string | string[] = 'execute-api:Invoke') => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: action, Effect: 'Allow', Resource: resource }] },
});

describe('methodArn', () => {
  it('is built as API Gateway builds it', () => {
    expect(arn).toBe('arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/orders/42');
  });
});

describe('arnMatches (API Gateway wildcards)', () => {
  it.each([
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/*/*', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/*', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/*', true],
    ['arn:aws:execute-api:*:*:abc123/dev/GET/orders/*', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/orders/4?', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/orders/?', false],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/POST/*', false],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/prod/*/*', false],
    ['arn:aws:execute-api:us-east-1:000000000000:other/dev/*/*', false],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/orders/42', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/get/orders/42', false],
    ['*', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123.dev/*', false],
  ])('%s → %s', (pattern, expected) => {
    expect(arnMatches(pattern, arn)).toBe(expected);
  });
});

describe('evaluatePolicy', () => {
  const parse = (o: unknown) => parseAuthorizerAnswer(o).statements;

  it('allows on a matching Allow', () => {
    expect(evaluatePolicy(parse(allow('arn:aws:execute-api:us-east-1:000000000000:abc123/dev/*/*')), arn)).toBe('allow');
  });
  it('an Allow for another route is an implicit deny', () => {
    expect(evaluatePolicy(parse(allow('arn:aws:execute-api:us-east-1:000000000000:abc123/dev/POST/orders')), arn)).toBe('implicit-deny');
  });
  it('an explicit Deny wins over an Allow', () => {
    const statements = parse({
      principalId: 'u',
      policyDocument: {
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' },
          { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: arn },
        ],
      },
    });
    expect(evaluatePolicy(statements, arn)).toBe('explicit-deny');
  });
  it('accepts action wildcards and lists, case-insensitively', () => {
    expect(evaluatePolicy(parse(allow(['x', arn], ['s3:GetObject', 'execute-api:*'])), arn)).toBe('allow');
    expect(evaluatePolicy(parse(allow(arn, 'EXECUTE-API:INVOKE')), arn)).toBe('allow');
    expect(evaluatePolicy(parse(allow(arn, '*')), arn)).toBe('allow');
    expect(evaluatePolicy(parse(allow(arn, 's3:*')), arn)).toBe('implicit-deny');
  });
});

describe('parseAuthorizerAnswer', () => {
  it('keeps principalId and a primitive context', () => {
    const answer = parseAuthorizerAnswer({ ...allow(arn), context: { sub: 'u', n: 1, b: true } });
    expect(answer.principalId).toBe('user-1');
    expect(answer.context).toEqual({ sub: 'u', n: 1, b: true });
  });
  it('accepts a single statement object', () => {
    const answer = parseAuthorizerAnswer({ principalId: 'u', policyDocument: { Statement: { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' } } });
    expect(answer.statements).toHaveLength(1);
  });
  it.each([
    ['not an object', 'Allow'],
    ['null', null],
    ['no principalId', { policyDocument: allow(arn).policyDocument }],
    ['a numeric principalId', { ...allow(arn), principalId: 7 }],
    ['no policyDocument', { principalId: 'u' }],
    ['an empty Statement list', { principalId: 'u', policyDocument: { Statement: [] } }],
    ['a bad Effect', { principalId: 'u', policyDocument: { Statement: [{ Effect: 'allow', Action: 'execute-api:Invoke', Resource: '*' }] } }],
    ['no Resource', { principalId: 'u', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke' }] } }],
    ['no Action', { principalId: 'u', policyDocument: { Statement: [{ Effect: 'Allow', Resource: '*' }] } }],
    ['an object in the context', { ...allow(arn), context: { groups: ['a'] } }],
    ['a context that is not an object', { ...allow(arn), context: 'x' }],
  ])('refuses %s', (_name, output) => {
    expect(() => parseAuthorizerAnswer(output)).toThrow(MalformedAuthorizerAnswer);
  });
});
