import { securitySuite } from '../test/security.suite';

// What an attacker's suite tries, through the local gateway, in both authorizer modes: control
// characters in text fields, bodies over API Gateway's 10 MB, unauthenticated large bodies,
// bursts over the stage's throttling, cacheable answers, and ports beyond loopback.
describe('security, Cognito authorizer', () => {
  securitySuite('cognito');
});

describe('security, Lambda authorizer', () => {
  securitySuite('lambda');
});
