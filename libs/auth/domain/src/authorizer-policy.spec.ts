import { allowPolicy, apiWideResource } from './authorizer-policy';
import type { Principal } from './token-verifier.port';

const principal: Principal = {
  sub: 'user-1',
  email: 'ana@example.com',
  groups: ['admins', 'cooks'],
  token_use: 'id',
  scopes: [],
};

describe('apiWideResource', () => {
  it('widens a method ARN to every method and path of its API and stage', () => {
    expect(apiWideResource('arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/dev/GET/orders/42')).toBe(
      'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/dev/*/*',
    );
  });
  it('keeps other partitions', () => {
    expect(apiWideResource('arn:aws-cn:execute-api:cn-north-1:123456789012:api/prod/POST/orders')).toBe(
      'arn:aws-cn:execute-api:cn-north-1:123456789012:api/prod/*/*',
    );
  });
  it.each([undefined, null, '', 'arn:aws:s3:::bucket/key', 'arn:aws:execute-api:eu-west-1:123456789012:api', 'not an arn'])(
    'refuses %p',
    (arn) => expect(apiWideResource(arn)).toBeUndefined(),
  );
});

describe('allowPolicy', () => {
  it('allows execute-api:Invoke on the stage, principalId = sub, string context', () => {
    const result = allowPolicy(principal, 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/dev/DELETE/orders/42');
    expect(result).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/dev/*/*' },
        ],
      },
      context: { sub: 'user-1', email: 'ana@example.com', groups: 'admins,cooks', token_use: 'id' },
    });
    expect(Object.values(result?.context ?? {}).every((v) => typeof v === 'string')).toBe(true);
  });
  it('uses empty strings for absent claims', () => {
    expect(allowPolicy({ sub: 's', groups: [], scopes: [] }, 'arn:aws:execute-api:eu-west-1:123456789012:a/dev/GET/')?.context).toEqual({
      sub: 's',
      email: '',
      groups: '',
      token_use: '',
    });
  });
  it('gives no answer for a bad method ARN', () => {
    expect(allowPolicy(principal, 'garbage')).toBeUndefined();
  });
});
