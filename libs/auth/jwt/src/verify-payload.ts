import { refused, type VerificationFailure } from '@serverless-orders/auth-domain';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { failureOf } from './jwt-failure';

/** What the JWT schemes need of a verifier: a payload, directly or once keys are fetched. */
export interface PayloadVerifier {
  verifyToken(token: string): JwtPayload | Promise<JwtPayload>;
}

export type PayloadVerification = { readonly ok: true; readonly payload: JwtPayload } | VerificationFailure;

const verified = (payload: JwtPayload): PayloadVerification => ({ ok: true, payload });

/** `f` applied to a value, or to a promise's value once it is there: no promise made when there was none. */
export function andThen<T, U>(value: T | Promise<T>, f: (value: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * The common first step of every JWT scheme: refuse an empty token, verify it, and turn
 * whatever is thrown (aws-jwt-verify's errors, our own refusals) into a failure reason.
 * Never throws, never rejects; answers directly when the verifier does.
 */
export function verifyPayload(verifier: PayloadVerifier, token: string): PayloadVerification | Promise<PayloadVerification> {
  if (typeof token !== 'string' || token === '') return refused('missing');
  try {
    const payload = verifier.verifyToken(token);
    return payload instanceof Promise ? payload.then(verified, failureOf) : verified(payload);
  } catch (error) {
    return failureOf(error);
  }
}
