import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import {
  allowPolicy,
  extractToken,
  singleHeaderValue,
  type AuthorizerAllowResult,
  type TokenVerifier,
  type VerificationFailure,
  type VerificationResult,
} from '@serverless-orders/auth-domain';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';

export type AuthorizerEvent = APIGatewayRequestAuthorizerEvent | APIGatewayTokenAuthorizerEvent;

/** The port promises not to throw; if a verifier does anyway, refuse rather than crash. */
const verifierThrew = (error: unknown): VerificationFailure => ({
  ok: false,
  reason: 'verifier-unavailable',
  detail: `verifier threw ${error instanceof Error ? error.name : typeof error}`,
});

/**
 * The Lambda authorizer, whatever the token scheme: take the token from its header (exactly
 * one value of it), verify it through the TokenVerifier port, answer Allow on the whole stage,
 * or throw Error("Unauthorized") (API Gateway's 401). A Deny policy would be a 403, so there
 * is none. The token is never logged; the reason for each refusal is, at WARN (ERROR when the
 * verifier is unavailable); an allowed caller only at DEBUG, so the common case writes nothing.
 * When the verifier answers directly (keys cached), so does the whole decision: no promise
 * but the one the handler returns.
 */
export class RequestAuthorizer {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly obs: Observability,
    /** The header that carries the token (Authorization unless the scheme says otherwise). */
    private readonly tokenHeader: string,
  ) {}

  handle(event: AuthorizerEvent, context?: Context): Promise<AuthorizerAllowResult> {
    const requestId = (event as APIGatewayRequestAuthorizerEvent | null | undefined)?.requestContext?.requestId;
    return instrumented(this.obs, context, requestId, () => this.decide(event));
  }

  private decide(event: AuthorizerEvent): AuthorizerAllowResult | Promise<AuthorizerAllowResult> {
    let result: VerificationResult | Promise<VerificationResult>;
    try {
      const header = this.headerOf(event);
      const extracted = header.ok ? extractToken(header.value) : header;
      result = extracted.ok ? this.verifier.verify(extracted.token) : extracted;
    } catch (error) {
      result = verifierThrew(error);
    }
    if (result instanceof Promise) {
      return result.then(
        (verified) => this.answer(verified, event),
        (error: unknown) => this.deny(verifierThrew(error)),
      );
    }
    return this.answer(result, event);
  }

  private answer(result: VerificationResult, event: AuthorizerEvent): AuthorizerAllowResult {
    if (!result.ok) return this.deny(result);
    const answer = allowPolicy(result.principal, event?.methodArn);
    if (!answer) return this.deny({ ok: false, reason: 'malformed', detail: 'methodArn is not an execute-api ARN' });
    // The level is checked first: a disabled debug() still costs Powertools a round of environment reads.
    if (this.obs.logger.level <= LogLevelThreshold.DEBUG) {
      this.obs.logger.debug('allowed', { sub: result.principal.sub, token_use: result.principal.token_use });
    }
    return answer;
  }

  /** Logs why, never the token, and refuses: API Gateway answers 401. */
  private deny(failure: VerificationFailure): never {
    const log = failure.reason === 'verifier-unavailable' ? this.obs.logger.error : this.obs.logger.warn;
    log.call(this.obs.logger, 'denied', { reason: failure.reason, detail: failure.detail });
    throw new Error('Unauthorized');
  }

  /**
   * The identity header's one value: a TOKEN event's authorizationToken, or the configured
   * header of a REQUEST event, which API Gateway hands over with every value sent
   * (multiValueHeaders): more than one is ambiguous and refused.
   */
  private headerOf(event: AuthorizerEvent): { ok: true; value: string | undefined } | VerificationFailure {
    if (!event || typeof event !== 'object') return { ok: true, value: undefined };
    if (event.type === 'TOKEN') return { ok: true, value: typeof event.authorizationToken === 'string' ? event.authorizationToken : undefined };
    return singleHeaderValue(event.headers, event.multiValueHeaders, this.tokenHeader);
  }
}
