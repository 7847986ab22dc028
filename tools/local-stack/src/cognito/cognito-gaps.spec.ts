import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { awsUserPoolId, checkPassword, CognitoGapError, normaliseRequest, verifySecretHash } from './cognito-gaps';

const clientId = 'client123';
const secret = 'sekrit';
const good = (username: string) => cognitoSecretHash(username, clientId, secret);

describe('verifySecretHash', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['SignUp', { ClientId: clientId, Username: 'a@b.c', Password: 'p', SecretHash: good('a@b.c') }],
    ['ConfirmSignUp', { ClientId: clientId, Username: 'a@b.c', SecretHash: good('a@b.c') }],
    ['InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a@b.c', SECRET_HASH: good('a@b.c') } }],
    ['AdminInitiateAuth', { ClientId: clientId, AuthFlow: 'ADMIN_NO_SRP_AUTH', AuthParameters: { USERNAME: 'a@b.c', SECRET_HASH: good('a@b.c') } }],
    ['RespondToAuthChallenge', { ClientId: clientId, ChallengeResponses: { USERNAME: 'a@b.c', SECRET_HASH: good('a@b.c') } }],
  ];

  it.each(cases)('%s with the right hash passes', (target, req) => {
    expect(() => verifySecretHash(target, req, secret)).not.toThrow();
  });

  it.each(cases)('%s with a wrong hash is refused', (target, req) => {
    const wrong = JSON.parse(JSON.stringify(req).replaceAll(good('a@b.c'), good('other@b.c')));
    expect(() => verifySecretHash(target, wrong, secret)).toThrow('Unable to verify secret hash for client client123');
  });

  it('a missing hash is refused for a client with a secret', () => {
    expect(() => verifySecretHash('SignUp', { ClientId: clientId, Username: 'a@b.c' }, secret)).toThrow(CognitoGapError);
    expect(() => verifySecretHash('SignUp', { ClientId: clientId, Username: 'a@b.c' }, secret)).toThrow('configured for secret');
  });

  it('a client without a secret needs no hash', () => {
    expect(() => verifySecretHash('SignUp', { ClientId: clientId, Username: 'a@b.c' }, undefined)).not.toThrow();
  });

  it('a refresh accepts the hash of the user the refresh token names', () => {
    const token = ['h', Buffer.from(JSON.stringify({ 'cognito:username': 'sub-1' })).toString('base64url'), 's'].join('.');
    const req = { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token, SECRET_HASH: good('sub-1') } };
    expect(() => verifySecretHash('InitiateAuth', req, secret)).not.toThrow();
  });

  it('operations that carry no hash are left alone', () => {
    expect(() => verifySecretHash('AdminConfirmSignUp', { UserPoolId: 'p', Username: 'a' }, secret)).not.toThrow();
  });
});

describe('normaliseRequest', () => {
  it('takes ADMIN_NO_SRP_AUTH as ADMIN_USER_PASSWORD_AUTH', () => {
    expect(normaliseRequest('AdminInitiateAuth', { AuthFlow: 'ADMIN_NO_SRP_AUTH' })).toEqual({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' });
    expect(normaliseRequest('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH' })).toEqual({ AuthFlow: 'USER_PASSWORD_AUTH' });
  });
});

describe('awsUserPoolId', () => {
  it('has the form aws-jwt-verify and AWS expect', () => {
    const id = awsUserPoolId('eu-west-1');
    expect(id).toMatch(/^(?:eusc-[a-z]{2}|[a-z]{2})-(gov-)?[a-z]+-\d_[a-zA-Z0-9]{9}$/);
    expect(awsUserPoolId('us-east-1', () => 0)).toBe('us-east-1_AAAAAAAAA');
  });
});

describe('checkPassword', () => {
  it('enforces the minimum length and the character classes the policy asks for', () => {
    expect(() => checkPassword('short', { MinimumLength: 8 })).toThrow('Password not long enough');
    expect(() => checkPassword('longenough', { MinimumLength: 8 })).not.toThrow();
    expect(() => checkPassword('longenough', { MinimumLength: 8, RequireNumbers: true })).toThrow('numeric');
    expect(() => checkPassword('x', undefined)).not.toThrow();
  });
});
