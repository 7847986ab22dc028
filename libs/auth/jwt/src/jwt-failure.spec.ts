import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwtExpiredError,
  JwtParseError,
  KidNotFoundInJwksError,
  ParameterValidationError,
} from 'aws-jwt-verify/error';
import { failureOf, TokenRefusedError } from './jwt-failure';

describe('failureOf', () => {
  it.each([
    [new JwtParseError('Invalid JWT. Header is not a valid JSON object: {"secret'), 'malformed'],
    [new JwtExpiredError('Token expired', 1), 'expired'],
    [new CognitoJwtInvalidClientIdError('Client ID not allowed', 'x', 'y'), 'wrong-audience'],
    [new CognitoJwtInvalidTokenUseError('Token use not allowed', 'x', 'y'), 'wrong-token-use'],
    [new KidNotFoundInJwksError('JWK for kid k not found'), 'unknown-key'],
    [new FetchError('http://x', 'down'), 'verifier-unavailable'],
    [new ParameterValidationError('issuer not configured: https://evil'), 'wrong-issuer'],
    [new TokenRefusedError('critical-header', 'crit'), 'critical-header'],
    [new TokenRefusedError('lifetime-too-long', 'long'), 'lifetime-too-long'],
    [new TokenRefusedError('not-yet-valid', 'iat'), 'not-yet-valid'],
    [new TypeError('boom'), 'verifier-unavailable'],
    ['a string', 'verifier-unavailable'],
  ])('%p → %s', (error, reason) => expect(failureOf(error).reason).toBe(reason));

  it('never quotes decoded token content from parse errors', () => {
    expect(failureOf(new JwtParseError('Invalid JWT: {"secret":1}')).detail).not.toContain('secret');
  });
});
